import { sql } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import type { SlaClockName, Ticket } from '../../db/schema.ts';

// The scheduler's SLA reads and writes: tickets whose sla_check_at has come
// (an index range, tickets_sla_check), the sla_events rows that make each
// warning and breach fire once, and the next check of each ticket.

/** Up to `limit` tickets due for a check, soonest first; PostgreSQL locks them, skipping rows another scheduler holds. */
export function lockDueTickets(trx: Db, now: number, limit: number): Promise<Ticket[]> {
  let q = trx
    .selectFrom('tickets')
    .selectAll()
    .where('sla_check_at', 'is not', null)
    .where('sla_check_at', '<=', now)
    .orderBy('sla_check_at')
    .limit(limit);
  if (isPostgres(trx)) q = q.forUpdate().skipLocked();
  return q.execute();
}

export interface SlaEventRow {
  ticketId: number;
  clock: SlaClockName;
  stage: 'warning' | 'breach';
  startedAt: number;
  dueAt: number;
}

/** Inserts the rows that are new; returns the keys (`ticket:clock:stage:started`) this call inserted. */
export async function insertSlaEvents(trx: Db, list: SlaEventRow[], now: number): Promise<Set<string>> {
  if (list.length === 0) return new Set();
  const rows = await trx
    .insertInto('sla_events')
    .values(
      list.map((e) => ({
        ticket_id: e.ticketId,
        clock: e.clock,
        stage: e.stage,
        started_at: e.startedAt,
        due_at: e.dueAt,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['ticket_id', 'clock', 'stage', 'started_at']).doNothing())
    .returning(['ticket_id', 'clock', 'stage', 'started_at'])
    .execute();
  return new Set(
    rows.map((r) =>
      slaEventKey({ ticketId: r.ticket_id, clock: r.clock, stage: r.stage, startedAt: r.started_at }),
    ),
  );
}

export const slaEventKey = (e: Pick<SlaEventRow, 'ticketId' | 'clock' | 'stage' | 'startedAt'>) =>
  `${e.ticketId}:${e.clock}:${e.stage}:${e.startedAt}`;

/** sla_check_at moves on only where it still holds the value read (a ticket changed meanwhile keeps its new one). */
export async function moveChecks(trx: Db, list: { id: number; before: number; after: number | null }[]) {
  if (list.length === 0) return;
  if (isPostgres(trx)) {
    const values = sql.join(list.map((c) => sql`(${c.id}::bigint, ${c.before}::bigint, ${c.after}::bigint)`));
    await sql`update tickets set sla_check_at = v.next from (values ${values}) as v(id, prev, next)
      where tickets.id = v.id and tickets.sla_check_at = v.prev`.execute(trx);
    return;
  }
  // SQLite: one statement for the batch too (a statement per row cost ~3x as much, mostly
  // building and awaiting each one). The rows go in as one JSON parameter, so the SQL
  // text, and the cached prepared statement, is the same whatever the batch size.
  const rows = JSON.stringify(list.map((c) => [c.id, c.before, c.after]));
  await sql`update tickets set sla_check_at = json_extract(v.value, '$[2]') from json_each(${rows}) as v
    where tickets.id = json_extract(v.value, '$[0]') and tickets.sla_check_at = json_extract(v.value, '$[1]')`.execute(
    trx,
  );
}
