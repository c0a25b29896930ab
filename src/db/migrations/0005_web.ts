import { sql } from 'kysely';
import { ref, required, withId, type AnyDb } from './helpers.ts';

// What the agent panel needs beyond the API so far: saved custom queues (per
// agent or shared), who is looking at or answering a ticket right now, and an
// index per department for the Overdue (SLA) queue, in due order.

export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;

  // owner_id null = shared with every agent (created by an admin).
  await withId(db, s.createTable('saved_queues'))
    .addColumn('owner_id', 'bigint', ref('agents', 'cascade'))
    .addColumn('name', 'text', required)
    .addColumn('filters', 'text', required)
    .addColumn('columns', 'text', required)
    .addColumn('sort', 'text', required)
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', required)
    .addColumn('updated_at', 'bigint', required)
    .execute();
  await s.createIndex('saved_queues_owner').on('saved_queues').columns(['owner_id', 'position']).execute();

  // A heartbeat row per (ticket, agent); rows past expires_at are ignored and swept.
  await s
    .createTable('ticket_presence')
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('agent_id', 'bigint', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('activity', 'text', required)
    .addColumn('expires_at', 'bigint', required)
    .addPrimaryKeyConstraint('ticket_presence_pk', ['ticket_id', 'agent_id'])
    .execute();

  await s
    .createIndex('tickets_dept_overdue')
    .on('tickets')
    .columns(['department_id', 'sla_due_at', 'id'])
    .where(sql<boolean>`state in ('open', 'pending') and sla_due_at is not null`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('tickets_dept_overdue').execute();
  await db.schema.dropTable('ticket_presence').execute();
  await db.schema.dropTable('saved_queues').execute();
}
