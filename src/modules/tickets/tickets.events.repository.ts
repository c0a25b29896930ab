import type { Db } from '../../db/database.ts';
import { actorRef, type Actor } from '../auth/auth.actor.ts';
import type { EventType } from './tickets.events.ts';

export interface EventInput {
  ticketId: number;
  type: EventType;
  actor: Actor;
  data: Record<string, unknown>;
  now: number;
}

export async function recordEvents(db: Db, events: EventInput[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('ticket_events')
    .values(
      events.map((e) => ({
        ticket_id: e.ticketId,
        type: e.type,
        ...actorRef(e.actor),
        data: JSON.stringify(e.data),
        created_at: e.now,
      })),
    )
    .execute();
}

export function listEvents(db: Db, ticketId: number) {
  return db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
}
