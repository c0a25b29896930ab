import { ref, required, withId, type AnyDb } from './helpers.ts';

// Satisfaction surveys: the request sent to a customer (its link token kept
// only as a hash) and the one rating per ticket, changeable for a while.

export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;

  await withId(db, s.createTable('survey_requests'))
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('customer_id', 'bigint', ref('customers', 'cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('trigger', 'text', required)
    .addColumn('sent_at', 'bigint', required)
    .addColumn('expires_at', 'bigint', required)
    .execute();
  await s.createIndex('survey_requests_ticket').on('survey_requests').column('ticket_id').execute();

  // One row per ticket: a second answer changes it (within the window), never adds one.
  await s
    .createTable('ticket_ratings')
    .addColumn('ticket_id', 'bigint', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
    .addColumn('customer_id', 'bigint', ref('customers', 'set null'))
    .addColumn('scale', 'text', required)
    .addColumn('score', 'integer', required)
    .addColumn('comment', 'text')
    .addColumn('agent_id', 'bigint', ref('agents', 'set null'))
    .addColumn('department_id', 'bigint', (c) => c.notNull().references('departments.id'))
    .addColumn('created_at', 'bigint', required)
    .addColumn('updated_at', 'bigint', required)
    .execute();
  await s
    .createIndex('ticket_ratings_created')
    .on('ticket_ratings')
    .columns(['created_at', 'ticket_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('ticket_ratings').execute();
  await db.schema.dropTable('survey_requests').execute();
}
