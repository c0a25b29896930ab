import { touchReports } from '../reports/reports.refresh.service.ts';
import type { Db } from '../../db/database.ts';
import { actorRef, type Actor } from '../auth/auth.actor.ts';

/** What happened to a ticket; the ticket's history is these rows, written in the change's transaction. */
export type EventType =
  | 'created'
  | 'replied'
  | 'noted'
  | 'customer_replied'
  | 'assigned'
  | 'transferred'
  | 'priority_changed'
  | 'status_changed'
  | 'help_topic_changed'
  | 'due_date_changed'
  | 'resolved'
  | 'closed'
  | 'reopened'
  | 'collaborators_added'
  | 'linked'
  | 'email_bounced'
  | 'auto_reply_received'
  | 'sla_warning'
  | 'sla_breached'
  | 'reminder_sent'
  | 'rated';

/** Events that change none of a ticket's report facts (src/modules/reports/reports.facts.ts). */
const REPORT_BLIND = new Set<EventType>([
  'noted',
  'collaborators_added',
  'linked',
  'email_bounced',
  'auto_reply_received',
  'sla_warning',
  'reminder_sent',
  'rated',
  'due_date_changed',
]);

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
  const counted = events.filter((e) => !REPORT_BLIND.has(e.type));
  if (counted.length > 0)
    await touchReports(
      db,
      counted.map((e) => e.ticketId),
      counted[0]!.now,
    );
}

export function listEvents(db: Db, ticketId: number) {
  return db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
}
