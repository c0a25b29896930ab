import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

// The scheduler's reads for auto-close and reminders (tickets.automation.service.ts):
// index ranges (tickets_resolved_at, tickets_dept_state_updated), bounded per pass.

/** Resolved tickets, oldest resolution first, resolved at or before `resolvedBy`. */
export function resolvedBefore(db: Db, resolvedBy: number, limit: number) {
  return db
    .selectFrom('tickets')
    .select(['number', 'department_id', 'resolved_at'])
    .where(sql<boolean>`state = 'resolved'`)
    .where('resolved_at', '<=', resolvedBy)
    .orderBy('resolved_at')
    .limit(limit)
    .execute();
}

/** A department's tickets awaiting the customer with no change since `updatedBy`, oldest first. */
export function pendingSince(db: Db, departmentId: number, updatedBy: number, limit: number) {
  return db
    .selectFrom('tickets')
    .select(['number', 'reminded_at', 'last_response_at', 'created_at'])
    .where('department_id', '=', departmentId)
    .where('state', '=', 'pending')
    .where('updated_at', '<=', updatedBy)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}
