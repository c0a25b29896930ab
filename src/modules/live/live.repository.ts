import type { Db } from '../../db/database.ts';

// The live module's queries: heartbeat rows of "who else is on this ticket"
// (live.presence.service.ts), and what the hub (live.hub.ts) fans out.

export type Activity = 'viewing' | 'replying';

/** The agent is on the ticket until `expiresAt` (a new heartbeat moves it on). */
export async function upsertPresence(
  db: Db,
  row: { ticketId: number; agentId: number; activity: Activity; expiresAt: number },
): Promise<void> {
  const { activity, expiresAt: expires_at } = row;
  await db
    .insertInto('ticket_presence')
    .values({ ticket_id: row.ticketId, agent_id: row.agentId, activity, expires_at })
    .onConflict((oc) => oc.columns(['ticket_id', 'agent_id']).doUpdateSet({ activity, expires_at }))
    .execute();
}

/** Deletes stale rows of any ticket. */
export async function sweepPresence(db: Db, now: number): Promise<void> {
  await db.deleteFrom('ticket_presence').where('expires_at', '<=', now).execute();
}

/** The other agents on a ticket at `now`, by name. */
export function othersOnTicket(db: Db, ticketId: number, agentId: number, now: number) {
  return db
    .selectFrom('ticket_presence')
    .innerJoin('agents', 'agents.id', 'ticket_presence.agent_id')
    .select(['agents.id', 'agents.name', 'ticket_presence.activity'])
    .where('ticket_presence.ticket_id', '=', ticketId)
    .where('ticket_presence.agent_id', '<>', agentId)
    .where('ticket_presence.expires_at', '>', now)
    .orderBy('agents.name')
    .execute();
}

/** The agent left the ticket. */
export async function deletePresence(db: Db, ticketId: number, agentId: number): Promise<void> {
  await db
    .deleteFrom('ticket_presence')
    .where('ticket_id', '=', ticketId)
    .where('agent_id', '=', agentId)
    .execute();
}

// What the live hub (live.hub.ts) reads to fan out: events and presence, each
// with the columns of its ticket that decide who may see it.

/** The ticket columns that decide who may see a ticket (`tickets as t`), for events and presence alike. */
const SCOPE_COLUMNS = [
  't.number',
  't.department_id',
  't.assignee_id',
  't.team_id',
  't.requester_id',
  't.organization_id',
] as const;

/** The id of the newest ticket event (0 when none). */
export async function lastEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('ticket_events')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/** Up to `limit` events after `after`, in order, with their ticket's scope. */
export function eventsAfter(db: Db, after: number, limit: number) {
  return db
    .selectFrom('ticket_events as e')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select(['e.id', 'e.type', ...SCOPE_COLUMNS])
    .where('e.id', '>', after)
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/** Every live presence row with its ticket's scope. */
export function livePresence(db: Db, now: number) {
  return db
    .selectFrom('ticket_presence as p')
    .innerJoin('tickets as t', 't.id', 'p.ticket_id')
    .select(['p.agent_id', 'p.activity', 't.id', ...SCOPE_COLUMNS])
    .where('p.expires_at', '>', now)
    .execute();
}
