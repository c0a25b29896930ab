import { sql, type ControlledTransaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Db } from '../db/database.ts';
import type { BulkWriter } from './bulk.ts';
import { CUSTOMERS, ENTRIES, EVENTS, TICKETS, type BulkTable, type Row } from './bulk-data.ts';

// PostgreSQL bulk writer. `insert … select * from unnest($1::bigint[], $2::text[], …)`
// sends thousands of rows as one array parameter per column. The whole load is
// one transaction: a failed or interrupted seed leaves nothing behind, which
// also makes it safe to drop the tickets' secondary indexes for a large load
// and build them once at the end (random-key index inserts into indexes larger
// than shared_buffers are what makes a naive load crawl).

const CHUNK = 2_000;
/** Rebuild indexes instead of maintaining them when adding at least this many tickets… */
const REBUILD_MIN = 10_000;
/** …and at least this share of the tickets already there. */
const REBUILD_RATIO = 0.5;

type Trx = ControlledTransaction<Database>;

async function insertRows(db: Db, table: BulkTable, rows: Row[]): Promise<void> {
  const columns = sql.join(table.columns.map((c) => sql.ref(c)));
  for (let from = 0; from < rows.length; from += CHUNK) {
    const chunk = rows.slice(from, from + CHUNK);
    const arrays = table.columns.map((c, i) => {
      const values = chunk.map((row) => row[i] ?? null);
      return sql`${values}::${sql.raw(table.text.includes(c) ? 'text' : 'bigint')}[]`;
    });
    await sql`insert into ${sql.table(table.name)} (${columns}) select * from unnest(${sql.join(arrays)})`.execute(
      db,
    );
  }
}

interface IndexDef {
  name: string;
  def: string;
}

/** Secondary indexes of `table` that no constraint owns, with their full definitions. */
async function secondaryIndexes(trx: Trx, table: string): Promise<IndexDef[]> {
  const rows = await sql<IndexDef>`
    select quote_ident(n.nspname) || '.' || quote_ident(i.relname) as name, pg_get_indexdef(i.oid) as def
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_namespace n on n.oid = i.relnamespace
    where x.indrelid = ${table}::regclass
      and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
    order by i.relname`.execute(trx);
  return rows.rows;
}

async function shouldRebuild(db: Db, adding: number): Promise<boolean> {
  if (adding < REBUILD_MIN) return false;
  const row = await sql<{
    n: number;
  }>`select greatest(reltuples, 0)::bigint as n from pg_class where oid = 'tickets'::regclass`.execute(db);
  return adding >= Number(row.rows[0]?.n ?? 0) * REBUILD_RATIO;
}

/**
 * Foreign-key triggers are most of the server's work in a bulk insert (a
 * locking lookup per reference). Every id we insert was just read or written
 * in this transaction, so skip them the way pg_restore does — but only as a
 * role allowed to, and only when no other trigger (e.g. a search index kept by
 * a trigger) would be skipped with them.
 */
async function skipForeignKeyChecks(trx: Trx): Promise<boolean> {
  const triggers = await sql<{ n: number }>`
    select count(*) as n from pg_trigger
    where not tgisinternal and tgrelid in ('tickets'::regclass, 'thread_entries'::regclass, 'ticket_events'::regclass)`.execute(
    trx,
  );
  if (Number(triggers.rows[0]?.n ?? 1) > 0) return false;
  await sql`savepoint bulk_seed_fk`.execute(trx);
  try {
    await sql`set local session_replication_role = replica`.execute(trx);
    return true;
  } catch {
    await sql`rollback to savepoint bulk_seed_fk`.execute(trx); // not permitted: keep the checks
    return false;
  }
}

export function postgresWriter(db: Db, count: number, onWritten: (tickets: number) => void): BulkWriter {
  let trx: Trx | undefined;
  let pending: Promise<void> = Promise.resolve();
  let rebuild: IndexDef[] = [];
  const touched = new Set<string>();

  const begin = async (): Promise<Trx> => {
    if (trx) return trx;
    trx = await db.startTransaction().execute();
    // Losing the last commit in a crash is fine for seed data; waiting for the WAL flush is not needed.
    await sql`set local synchronous_commit = off`.execute(trx);
    await sql`set local maintenance_work_mem = '1GB'`.execute(trx);
    await skipForeignKeyChecks(trx);
    if (await shouldRebuild(trx, count)) {
      // The thread's indexes include the full-text GIN index: building it once is far cheaper than growing it.
      rebuild = [
        ...(await secondaryIndexes(trx, 'tickets')),
        ...(await secondaryIndexes(trx, 'thread_entries')),
      ];
      for (const index of rebuild) await sql`drop index ${sql.raw(index.name)}`.execute(trx);
    }
    return trx;
  };

  return {
    batchSize: 2_000,
    async insertCustomers(rows) {
      if (rows.length === 0) return;
      touched.add(CUSTOMERS.name);
      await insertRows(await begin(), CUSTOMERS, rows);
    },
    async write(batch) {
      const t = await begin();
      for (const table of [TICKETS, ENTRIES, EVENTS]) touched.add(table.name);
      // One batch runs on the server while the caller generates the next one.
      await pending;
      pending = (async () => {
        await insertRows(t, TICKETS, batch.tickets);
        await insertRows(t, ENTRIES, batch.entries);
        await insertRows(t, EVENTS, batch.events);
        onWritten(batch.tickets.length);
      })();
      pending.catch(() => undefined); // awaited on the next write or in finish
    },
    async finish(lastSeq) {
      const t = await begin();
      await pending;
      for (const index of rebuild) await sql.raw(index.def).execute(t);
      await sql`select setval('ticket_number_seq', greatest(${lastSeq}::bigint, last_value)) from ticket_number_seq`.execute(
        t,
      );
      for (const table of touched) {
        // Rows went in with explicit ids; the identity must hand out ids after them.
        await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(
          t,
        );
      }
      await t.commit().execute();
      trx = undefined;
      if (touched.size > 0)
        await sql`analyze ${sql.join([...touched].map((name) => sql.table(name)))}`.execute(db);
    },
    async close() {
      await pending.catch(() => undefined);
      if (trx) await trx.rollback().execute();
    },
  };
}
