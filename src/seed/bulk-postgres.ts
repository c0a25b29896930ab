import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { BulkWriter } from './bulk.ts';
import { CUSTOMERS, ENTRIES, EVENTS, TICKETS, type Batch, type BulkTable, type Row } from './bulk-data.ts';

// PostgreSQL bulk writer: `insert … select * from unnest($1::bigint[], $2::text[], …)`
// sends thousands of rows as one array parameter per column, one statement
// plan per chunk. Two batches are in flight on two connections, so the server
// inserts one while Node generates the next.

const CHUNK = 5_000;
const IN_FLIGHT = Number(process.env.INFL ?? 2);

async function insertRows(db: Db, table: BulkTable, rows: Row[]): Promise<void> {
  const columns = sql.join(table.columns.map((c) => sql.ref(c)));
  for (let from = 0; from < rows.length; from += CHUNK) {
    const chunk = rows.slice(from, from + CHUNK);
    const arrays = table.columns.map((c, i) => {
      const values = chunk.map((row) => row[i] ?? null);
      return sql`${values}::${sql.raw(table.text.includes(c) ? 'text' : 'bigint')}[]`;
    });
    const t0 = performance.now();
    await sql`insert into ${sql.table(table.name)} (${columns}) select * from unnest(${sql.join(arrays)})`.execute(db);
    (globalThis as unknown as Record<string, number>)[table.name] = ((globalThis as unknown as Record<string, number>)[table.name] ?? 0) + performance.now() - t0;
  }
}

/** A transaction that does not wait for its WAL flush: a crash could lose seed rows, never corrupt. */
async function fastTransaction(db: Db, work: (trx: Db) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit = off`.execute(trx);
    await work(trx);
  });
}

export function postgresWriter(db: Db, onCommitted: (tickets: number) => void): BulkWriter {
  const inFlight: Promise<void>[] = [];
  const touched = new Set<string>();

  return {
    batchSize: 2_000,
    async insertCustomers(rows) {
      if (rows.length === 0) return;
      touched.add(CUSTOMERS.name);
      await fastTransaction(db, (trx) => insertRows(trx, CUSTOMERS, rows));
    },
    async write(batch) {
      for (const t of [TICKETS, ENTRIES, EVENTS]) touched.add(t.name);
      const job = fastTransaction(db, async (trx) => {
        await insertRows(trx, TICKETS, batch.tickets);
        await insertRows(trx, ENTRIES, batch.entries);
        await insertRows(trx, EVENTS, batch.events);
      }).then(() => onCommitted(batch.tickets.length));
      job.catch(() => undefined); // awaited below or in finish; avoids an unhandled rejection meanwhile
      inFlight.push(job);
      while (inFlight.length >= IN_FLIGHT) await inFlight.shift();
    },
    async finish(lastSeq) {
      while (inFlight.length > 0) await inFlight.shift();
      await sql`select setval('ticket_number_seq', greatest(${lastSeq}::bigint, last_value)) from ticket_number_seq`.execute(db);
      for (const table of touched) {
        // Rows went in with explicit ids; the identity must hand out ids after them.
        await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(db);
      }
      await sql`analyze ${sql.join([...touched].map((t) => sql.table(t)))}`.execute(db);
    },
    async close() {
      await Promise.allSettled(inFlight);
    },
  };
}
