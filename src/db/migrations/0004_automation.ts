import { sql } from 'kysely';
import { flag, ref, required, withId, type AnyDb } from './helpers.ts';

// The desk runs itself: routing rules applied at intake, round-robin turns kept
// in the database (fair across processes), SLA clocks per target with pauses,
// the SLA events that make warnings and breaches fire once, tags, rejected
// intake kept for admins, and the scheduler's cluster lease.

export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  const create = (name: string) => withId(db, s.createTable(name));

  await create('routing_rules')
    .addColumn('name', 'text', required)
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', 'integer', flag(1))
    .addColumn('match', 'text', (c) => c.notNull().defaultTo('all'))
    .addColumn('conditions', 'text', required)
    .addColumn('actions', 'text', required)
    .addColumn('on_reply', 'integer', flag(0))
    .addColumn('created_at', 'bigint', required)
    .addColumn('updated_at', 'bigint', required)
    .execute();

  // Requests a rule refused on a channel without its own record (web, phone, API).
  await create('intake_rejections')
    .addColumn('channel', 'text', required)
    .addColumn('rule_id', 'bigint', ref('routing_rules', 'set null'))
    .addColumn('rule_name', 'text', required)
    .addColumn('reason', 'text', required)
    .addColumn('requester', 'text', required)
    .addColumn('subject', 'text', required)
    .addColumn('payload', 'text', required)
    .addColumn('created_at', 'bigint', required)
    .execute();

  // Whose turn it is, per department or team: locked while a ticket is given out.
  await s
    .createTable('assignment_turns')
    .addColumn('scope', 'text', required)
    .addColumn('scope_id', 'bigint', required)
    .addColumn('last_agent_id', 'bigint')
    .addColumn('updated_at', 'bigint', required)
    .addPrimaryKeyConstraint('assignment_turns_pk', ['scope', 'scope_id'])
    .execute();

  await s
    .createTable('ticket_tags')
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('tag', 'text', required)
    .addPrimaryKeyConstraint('ticket_tags_pk', ['ticket_id', 'tag'])
    .execute();
  await s.createIndex('ticket_tags_tag').on('ticket_tags').columns(['tag', 'ticket_id']).execute();

  // One row per (ticket, clock, stage, clock start): the insert that wins fires
  // the escalation, so neither a second scheduler nor a pause and resume fires it twice.
  await create('sla_events')
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('clock', 'text', required)
    .addColumn('stage', 'text', required)
    .addColumn('started_at', 'bigint', required)
    .addColumn('due_at', 'bigint', required)
    .addColumn('created_at', 'bigint', required)
    .addUniqueConstraint('sla_events_once', ['ticket_id', 'clock', 'stage', 'started_at'])
    .execute();

  await s
    .createTable('scheduler_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', required)
    .addColumn('expires_at', 'bigint', required)
    .execute();

  // SLA clocks per target. sla_due_at stays the earliest of them (the overdue queue).
  for (const [name, type] of [
    ['sla_first_due_at', 'bigint'],
    ['sla_next_due_at', 'bigint'],
    ['sla_resolve_due_at', 'bigint'],
    ['sla_paused_at', 'bigint'],
    ['sla_check_at', 'bigint'],
    // When the customer was last reminded of a ticket awaiting their answer.
    ['reminded_at', 'bigint'],
    ['fields', 'text'],
  ] as const) {
    await s.alterTable('tickets').addColumn(name, type).execute();
  }
  await s
    .alterTable('tickets')
    .addColumn('sla_paused_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  // The scheduler's SLA scan touches only tickets with a check due. It replaces
  // tickets_sla_due, which nothing reads any more: one index per ticket write,
  // not two (an Overdue queue adds its own, per department, like the others).
  await s.dropIndex('tickets_sla_due').execute();
  await s
    .createIndex('tickets_sla_check')
    .on('tickets')
    .columns(['sla_check_at', 'id'])
    .where(sql<boolean>`sla_check_at is not null`)
    .execute();
  await s.alterTable('sla_plans').addColumn('escalation', 'text').execute();
  await s.alterTable('sla_plans').addColumn('updated_at', 'bigint').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of ['scheduler_leases', 'sla_events', 'ticket_tags', 'assignment_turns', 'intake_rejections'])
    await db.schema.dropTable(t).execute();
  await db.schema.dropTable('routing_rules').execute();
}
