import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';

// The dashboard's counts (dashboard.service.ts), each reading at most `limit`
// rows of one index range so it costs the same at a million tickets.

type Q = SelectQueryBuilder<Database, 'tickets', object>;

/** How many tickets match, reading at most `limit` rows. */
async function capped(db: Db, filter: (qb: Q) => Q, limit: number): Promise<number> {
  const inner = filter(db.selectFrom('tickets'))
    .select(sql<number>`1`.as('one'))
    .limit(limit);
  const row = await db
    .selectFrom(inner.as('q'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Open or pending tickets of a department whose SLA falls due in [from, to). */
export const countDueBetween = (db: Db, departmentId: number, from: number, to: number, limit: number) =>
  capped(
    db,
    (qb) =>
      qb
        .where(sql<SqlBool>`tickets.state in ('open', 'pending') and tickets.sla_due_at is not null`)
        .where('tickets.department_id', '=', departmentId)
        .where('tickets.sla_due_at', '>=', from)
        .where('tickets.sla_due_at', '<', to),
    limit,
  );

/**
 * Tickets created since `since`, through tickets_created. The department test
 * is written `department_id + 0` so no planner trades the time range for a
 * scan of whole departments.
 */
export const countCreatedSince = (db: Db, departmentIds: readonly number[], since: number, limit: number) =>
  capped(
    db,
    (qb) =>
      qb
        .where('tickets.created_at', '>=', since)
        .where(sql<SqlBool>`tickets.department_id + 0 in (${sql.join(departmentIds)})`),
    limit,
  );

/**
 * Tickets of a department in `state` resolved since `since` (a reopened one no
 * longer counts): resolving updates the ticket, so each is in the
 * tickets_dept_state_updated range (department, state, updated since).
 */
export const countResolvedSince = (
  db: Db,
  departmentId: number,
  state: 'resolved' | 'closed',
  since: number,
  limit: number,
) =>
  capped(
    db,
    (qb) =>
      qb
        .where('tickets.department_id', '=', departmentId)
        .where('tickets.state', '=', state)
        .where('tickets.updated_at', '>=', since)
        .where('tickets.resolved_at', '>=', since),
    limit,
  );

/** Ratings given since `since` in these departments, and how many were satisfied (score 4 or more). */
export async function ratingsSince(db: Db, departmentIds: readonly number[], since: number) {
  const row = await db
    .selectFrom('ticket_ratings')
    .where('created_at', '>=', since)
    .where('department_id', 'in', departmentIds)
    .select((eb) => [
      eb.fn.countAll<number | string>().as('responses'),
      sql<number | string | null>`sum(case when score >= 4 then 1 else 0 end)`.as('satisfied'),
    ])
    .executeTakeFirstOrThrow();
  return { responses: Number(row.responses), satisfied: Number(row.satisfied) };
}
