import { sql } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import type { Log } from '../../lib/log.ts';

// SQLite's full-text index is filled in batches rather than by insert
// triggers: FTS5 writes a segment per transaction, and per-ticket segments
// made creating tickets ~40 % slower. A background loop (server.ts) and every
// search (before it runs) bring the index up to date, so a search always sees
// what was written before it. PostgreSQL's GIN expression indexes need none of this.

const SOURCES = [
  { marker: 'fts_tickets', fts: 'tickets_fts', table: 'tickets', column: 'subject' },
  { marker: 'fts_entries', fts: 'entries_fts', table: 'thread_entries', column: 'body' },
] as const;

/** Indexes up to `batch` new rows per source in one transaction; returns how many it indexed. */
export async function catchUpSearchIndex(db: Db, batch = 5000): Promise<number> {
  if (isPostgres(db)) return 0;
  return db.transaction().execute(async (trx) => {
    let indexed = 0;
    for (const s of SOURCES) {
      const from = await sql<{ value: number }>`select value from sequences where name = ${s.marker}`.execute(
        trx,
      );
      const after = from.rows[0]?.value ?? 0;
      const top = await sql<{ id: number | null; n: number }>`
        select max(id) as id, count(*) as n from
          (select id from ${sql.table(s.table)} where id > ${after} order by id limit ${batch})`.execute(trx);
      const last = top.rows[0]?.id;
      if (last === null || last === undefined) continue;
      await sql`insert into ${sql.table(s.fts)} (rowid, ${sql.ref(s.column)})
        select id, ${sql.ref(s.column)} from ${sql.table(s.table)} where id > ${after} and id <= ${last}`.execute(
        trx,
      );
      await sql`update sequences set value = ${last} where name = ${s.marker}`.execute(trx);
      indexed += Number(top.rows[0]?.n ?? 0);
    }
    return indexed;
  });
}

/** Until nothing is left (a search after a burst, the end of a bulk seed). */
export async function catchUpSearchIndexFully(db: Db, batch = 5000): Promise<number> {
  let total = 0;
  for (let n = await catchUpSearchIndex(db, batch); n > 0; n = await catchUpSearchIndex(db, batch))
    total += n;
  return total;
}

/** Keeps the index close behind the writes: checks every `everyMs` while the process runs. */
export function startSearchIndexer(db: Db, log: Log, everyMs = 250): { stop(): Promise<void> } {
  if (isPostgres(db)) return { stop: async () => undefined };
  let running: Promise<unknown> = Promise.resolve();
  let failing = false;
  const timer = setInterval(() => {
    running = running
      .then(() => catchUpSearchIndexFully(db))
      .then(() => (failing = false))
      // The next tick tries again (a busy or unavailable database); searches top the index up themselves.
      // Said once per run of failures: the ticks come four times a second.
      .catch((err: unknown) => {
        log[failing ? 'debug' : 'warn']({ err }, 'search indexing failed; retrying at the next tick');
        failing = true;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
