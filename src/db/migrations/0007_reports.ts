import type { AnyDb } from './helpers.ts';

// Reports read their raw rows by time: events and thread entries of a kind
// in a date range, breaches by due time, surveys by the day they were sent.
// Each index starts with the kind and the time so a 90-day report reads one
// range and finds the ticket id there too.

export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  await s
    .createIndex('ticket_events_type_created')
    .on('ticket_events')
    .columns(['type', 'created_at', 'ticket_id'])
    .execute();
  await s
    .createIndex('thread_entries_kind_created')
    .on('thread_entries')
    .columns(['kind', 'created_at', 'ticket_id'])
    .execute();
  await s.createIndex('sla_events_stage_due').on('sla_events').columns(['stage', 'due_at']).execute();
  await s.createIndex('survey_requests_sent').on('survey_requests').columns(['sent_at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const name of [
    'survey_requests_sent',
    'sla_events_stage_due',
    'thread_entries_kind_created',
    'ticket_events_type_created',
  ])
    await db.schema.dropIndex(name).execute();
}
