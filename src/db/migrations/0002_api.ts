import { sql } from 'kysely';
import { isPostgres, required, type AnyDb } from './helpers.ts';

// What the HTTP API needs on top of the engine: idempotent creation, one-time
// portal access links, and full-text search over subjects and thread bodies.

export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;

  // A retried request with the same Idempotency-Key gets the first answer back.
  // `scope` separates callers (one API key's keys never collide with another's).
  await s
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', required)
    .addColumn('key', 'text', required)
    .addColumn('request_hash', 'text', required)
    .addColumn('status', 'integer', required)
    .addColumn('body', 'text', required)
    .addColumn('created_at', 'bigint', required)
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
  await s.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

  // Numbers of deleted tickets: never handed out again (random numbers could otherwise repeat).
  await s
    .createTable('retired_numbers')
    .addColumn('number', 'text', (c) => c.primaryKey())
    .addColumn('retired_at', 'bigint', required)
    .execute();

  // One-time portal sign-in links; only the sha256 of the token is stored.
  await s
    .createTable('access_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('ticket_id', 'bigint', (c) => c.references('tickets.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', required)
    .addColumn('expires_at', 'bigint', required)
    .addColumn('used_at', 'bigint')
    .execute();

  if (isPostgres(db)) {
    // Stored vectors, so a newest-first scan tests each row cheaply instead of
    // re-parsing its text; GIN indexes over them for rare words.
    await sql`alter table tickets add column subject_search tsvector
      generated always as (to_tsvector('simple', subject)) stored`.execute(db);
    await sql`alter table thread_entries add column body_search tsvector
      generated always as (to_tsvector('simple', body)) stored`.execute(db);
    await sql`create index tickets_subject_search on tickets using gin (subject_search)`.execute(db);
    await sql`create index thread_entries_search on thread_entries using gin (body_search)`.execute(db);
  } else {
    // External-content FTS5 tables: the text lives once, in the base tables.
    await sql`create virtual table tickets_fts using fts5(subject, content='tickets', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(
      db,
    );
    await sql`create virtual table entries_fts using fts5(body, content='thread_entries', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(
      db,
    );
    // Where the indexer has got to (see tickets.search-index.repository.ts); rows above it are not indexed yet.
    await sql`insert into sequences (name, value) values ('fts_tickets', 0), ('fts_entries', 0)`.execute(db);
    for (const stmt of SQLITE_TRIGGERS) await sql.raw(stmt).execute(db);
  }
}

// New rows are indexed in batches by tickets.search-index.repository.ts (one FTS segment
// per batch instead of one per ticket: creating tickets ~40 % faster). These
// triggers keep already indexed rows right when they change or go; a row the
// indexer has not reached yet must not be deleted from the index.
const indexed = (table: string) => `old.id <= (select value from sequences where name = '${table}')`;
const SQLITE_TRIGGERS = [
  `create trigger tickets_fts_au after update of subject on tickets when ${indexed('fts_tickets')} begin
     insert into tickets_fts(tickets_fts, rowid, subject) values ('delete', old.id, old.subject);
     insert into tickets_fts(rowid, subject) values (new.id, new.subject); end`,
  `create trigger tickets_fts_ad after delete on tickets when ${indexed('fts_tickets')} begin
     insert into tickets_fts(tickets_fts, rowid, subject) values ('delete', old.id, old.subject); end`,
  `create trigger entries_fts_au after update of body on thread_entries when ${indexed('fts_entries')} begin
     insert into entries_fts(entries_fts, rowid, body) values ('delete', old.id, old.body);
     insert into entries_fts(rowid, body) values (new.id, new.body); end`,
  `create trigger entries_fts_ad after delete on thread_entries when ${indexed('fts_entries')} begin
     insert into entries_fts(entries_fts, rowid, body) values ('delete', old.id, old.body); end`,
];

export async function down(): Promise<void> {
  throw new Error('Deskline migrations only go forward');
}
