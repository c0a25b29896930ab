import Sqlite from 'better-sqlite3';
import type { BulkWriter } from './bulk.ts';
import { CUSTOMERS, ENTRIES, EVENTS, TICKETS, type Batch, type BulkTable, type Row } from './bulk-data.ts';

// SQLite bulk writer: its own better-sqlite3 connection on the handle's file,
// prepared statements, one transaction per batch. Kysely would rebuild and
// re-prepare every statement; raw positional binds are several times faster.

export function sqliteWriter(file: string | undefined, onCommitted: (tickets: number) => void): BulkWriter {
  if (!file || file === ':memory:')
    throw new Error('bulk seeding SQLite needs a database file, not :memory:');
  const raw = new Sqlite(file);
  raw.pragma('journal_mode = WAL');
  // Only this connection skips fsync, for the load: a process crash loses nothing
  // committed; a power loss mid-seed could damage the file (fine for benchmark data).
  raw.pragma('synchronous = OFF');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  raw.pragma('cache_size = -262144'); // 256 MB: the ticket indexes stay in memory while they grow
  raw.pragma('temp_store = MEMORY');

  const prepare = (t: BulkTable) =>
    raw.prepare(
      `insert into ${t.name} (${t.columns.join(', ')}) values (${t.columns.map(() => '?').join(', ')})`,
    );
  const insert = {
    customers: prepare(CUSTOMERS),
    tickets: prepare(TICKETS),
    entries: prepare(ENTRIES),
    events: prepare(EVENTS),
  };
  const insertAll = raw.transaction((stmt: Sqlite.Statement, rows: Row[]) => {
    for (const row of rows) stmt.run(row);
  });
  const bumpSequence = raw.prepare(
    `insert into sequences (name, value) values ('ticket_number', ?)
     on conflict (name) do update set value = max(value, excluded.value)`,
  );
  // The counter moves in the batch's own transaction: an interrupted seed leaves
  // no committed ticket number ahead of it for the product to collide with.
  const writeBatch = raw.transaction((b: Batch, lastSeq: number) => {
    for (const row of b.tickets) insert.tickets.run(row);
    for (const row of b.entries) insert.entries.run(row);
    for (const row of b.events) insert.events.run(row);
    bumpSequence.run(lastSeq);
  });

  return {
    batchSize: 10_000,
    async insertCustomers(rows) {
      insertAll(insert.customers, rows);
    },
    async write(batch, lastSeq) {
      writeBatch(batch, lastSeq);
      onCommitted(batch.tickets.length);
      // Let timers and I/O callbacks (progress output, signals) run between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    async finish() {
      // Full-text index the new rows in one pass (tickets.search-index.repository.ts does the same in small batches).
      for (const [marker, fts, table, column] of [
        ['fts_tickets', 'tickets_fts', 'tickets', 'subject'],
        ['fts_entries', 'entries_fts', 'thread_entries', 'body'],
      ] as const) {
        raw.transaction(() => {
          const after = (
            raw.prepare('select value from sequences where name = ?').get(marker) as { value: number }
          ).value;
          raw
            .prepare(`insert into ${fts} (rowid, ${column}) select id, ${column} from ${table} where id > ?`)
            .run(after);
          raw
            .prepare(
              `update sequences set value = (select coalesce(max(id), 0) from ${table}) where name = ?`,
            )
            .run(marker);
        })();
      }
      // Sampled statistics: a full ANALYZE would read every index of a multi-GB file.
      raw.pragma('analysis_limit = 2000');
      raw.exec('analyze');
      raw.pragma('wal_checkpoint(TRUNCATE)');
    },
    async close() {
      raw.close();
    },
  };
}
