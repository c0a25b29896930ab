import { sql } from 'kysely';
import { isPostgres, type AnyDb } from './helpers.ts';
import { factIndexes } from './report-indexes.ts';

// Reports read precomputed facts instead of threads and events: one row per
// counted thing of a ticket (created, a reply, a resolution, a reopen…) and
// per measured duration (first response, resolution…), with the ticket's
// current filter fields copied in. Kept by the reports.refresh job; rebuilt by
// `deskline reports rebuild`. Kinds and channels are small integer codes
// (src/modules/reports/reports.facts.ts) so the covering indexes stay narrow:
// a report reads (kind, day) and (kind, bucket, day) ranges of them and never
// the table unless it filters by team, help topic or organization (0010 adds
// those to the indexes too).

const FILTER_COLUMNS = ['department_id', 'priority_id', 'channel', 'assignee_id'];

export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  await s
    .createTable('report_facts')
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'integer', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'bigint')
    .addColumn('calendar_ms', 'bigint')
    .addColumn('business_ms', 'bigint')
    .addColumn('cal_bucket', 'integer')
    .addColumn('bus_bucket', 'integer')
    .addColumn('sla', 'integer')
    .addColumn('department_id', 'bigint', (c) => c.notNull())
    .addColumn('team_id', 'bigint')
    .addColumn('assignee_id', 'bigint')
    .addColumn('help_topic_id', 'bigint')
    .addColumn('priority_id', 'bigint', (c) => c.notNull())
    .addColumn('channel', 'integer', (c) => c.notNull())
    .addColumn('organization_id', 'bigint')
    .addPrimaryKeyConstraint('report_facts_pk', ['ticket_id', 'seq'])
    .execute();
  await factIndexes(db, FILTER_COLUMNS);
  // The rollup: per (measure, clock, day, department) how many durations fell in
  // each coarse bucket, and their sum. A 90-day percentile reads a few
  // thousand of these rows instead of every fact (src/modules/reports/reports.hist.ts).
  const hist = s
    .createTable('report_hist')
    .addColumn('kind', 'integer', (c) => c.notNull())
    .addColumn('clock', 'integer', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('department_id', 'bigint', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_hist_pk', ['kind', 'clock', 'day', 'department_id', 'bucket']);
  // Rows stored in key order on SQLite (no rowid table beside the key) and,
  // on PostgreSQL, the counts kept in an index: either way a range of the key
  // is read with its counts and nothing else.
  await (isPostgres(db) ? hist : hist.modifyEnd(sql`without rowid`)).execute();
  if (isPostgres(db))
    await sql`create index report_hist_counts on report_hist (kind, clock, day, department_id, bucket) include (n, total)`.execute(
      db,
    );
  // The zone the facts' days were cut in: a change of the desk's zone rebuilds them.
  await s
    .createTable('report_state')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  // The raw-row indexes of 0007 served the reports before the facts; nothing else reads by them.
  await s.dropIndex('ticket_events_type_created').execute();
  await s.dropIndex('thread_entries_kind_created').execute();
}

export async function down(db: AnyDb): Promise<void> {
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
  await s.dropTable('report_state').execute();
  await s.dropTable('report_hist').execute();
  await s.dropTable('report_facts').execute();
}
