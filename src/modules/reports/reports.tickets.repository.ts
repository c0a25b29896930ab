import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Scope } from './reports.scope.ts';
import { ticketFilter } from './reports.stats.repository.ts';

// The reports' reads of raw tables, each small by nature: the open backlog,
// breaches (sla_events), ratings and survey requests, under the report's
// filters over the tickets table (aliased `t`).

/** Tickets open or pending now. */
export async function countOpen(db: Db, scope: Scope): Promise<number> {
  const row = await db
    .selectFrom('tickets as t')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('t.state', 'in', ['open', 'pending'])
    .where(ticketFilter(scope))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Breaches whose due time falls in the range, soonest first, up to `limit`. */
export function listBreaches(db: Db, scope: Scope, limit: number) {
  return db
    .selectFrom('sla_events as s')
    .innerJoin('tickets as t', 't.id', 's.ticket_id')
    .innerJoin('departments as d', 'd.id', 't.department_id')
    .leftJoin('agents as a', 'a.id', 't.assignee_id')
    .select([
      's.ticket_id',
      's.clock',
      's.due_at',
      's.created_at',
      't.number',
      't.subject',
      'd.name as department',
      'a.name as agent',
    ])
    .where('s.stage', '=', 'breach')
    .where('s.due_at', '>=', scope.start)
    .where('s.due_at', '<', scope.end)
    .where(ticketFilter(scope))
    .orderBy('s.due_at')
    .orderBy('s.id')
    .limit(limit)
    .execute();
}

/** Per clock, how many tickets breached it with a due time in the range. */
export async function countBreachedTickets(db: Db, scope: Scope) {
  const rows = await db
    .selectFrom('sla_events as s')
    .innerJoin('tickets as t', 't.id', 's.ticket_id')
    .select(['s.clock', sql<string | number>`count(distinct s.ticket_id)`.as('n')])
    .where('s.stage', '=', 'breach')
    .where('s.due_at', '>=', scope.start)
    .where('s.due_at', '<', scope.end)
    .where(ticketFilter(scope))
    .groupBy('s.clock')
    .execute();
  return new Map(rows.map((r) => [r.clock, Number(r.n)]));
}

/** Ratings first given in the range, newest first. */
export function ratingsInRange(db: Db, scope: Scope) {
  return db
    .selectFrom('ticket_ratings as r')
    .innerJoin('tickets as t', 't.id', 'r.ticket_id')
    .leftJoin('agents as a', 'a.id', 'r.agent_id')
    .select(['t.number', 'r.score', 'r.comment', 'r.created_at', 'r.agent_id', 'a.name as agent'])
    .where('r.created_at', '>=', scope.start)
    .where('r.created_at', '<', scope.end)
    .where(ticketFilter(scope))
    .orderBy('r.created_at', 'desc')
    .orderBy('r.ticket_id', 'desc')
    .execute();
}

/** Survey requests sent in the range. */
export async function countSurveysSent(db: Db, scope: Scope): Promise<number> {
  const row = await db
    .selectFrom('survey_requests as q')
    .innerJoin('tickets as t', 't.id', 'q.ticket_id')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('q.sent_at', '>=', scope.start)
    .where('q.sent_at', '<', scope.end)
    .where(ticketFilter(scope))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether a filter's target exists (a typo must answer 422, not an empty report). */
export async function exists(
  db: Db,
  table: 'departments' | 'teams' | 'agents' | 'help_topics' | 'priorities' | 'organizations',
  id: number,
): Promise<boolean> {
  return (
    (await db
      .selectFrom(table as 'departments')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst()) !== undefined
  );
}
