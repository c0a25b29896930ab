import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { DbHandle } from '../src/db/database.ts';
import { openDatabase } from '../src/db/database.ts';
import { factsZone } from '../src/modules/reports/reports.facts.repository.ts';
import { rebuildFacts } from '../src/modules/reports/reports.facts.service.ts';
import { seedBulkTickets } from '../src/seed/bulk.ts';
import { prepareDatabase, seedTag, type BenchTarget } from './desk.ts';
import { fmt, fmtInt } from './stats.ts';

// The UI bench's desk: the demo reference data plus N bulk-seeded tickets,
// seeded once and kept (.bench/ui_<N>.db or schema deskline_bench_ui_<N>).
// The bench only reads it (plus the agent's session), so no reset is needed.

const VERSION = 1;

export interface UiDesk {
  url: string;
  tickets: number;
}

function connectionOf(o: BenchTarget, name: string): string {
  if (o.dialect === 'sqlite') return `sqlite:${path.join(o.dir, `${name}.db`)}`;
  return `${o.pgUrl}${o.pgUrl.includes('?') ? '&' : '?'}options=-c%20search_path%3D${`deskline_bench_${name}`}`;
}

async function cachedTag(handle: DbHandle): Promise<string | undefined> {
  try {
    return (await sql<{ version: string }>`select version from bench_ui`.execute(handle.db)).rows[0]?.version;
  } catch {
    return undefined; // never seeded, or the seed was interrupted
  }
}

/** The cached desk of `tickets` tickets, seeded now if it is missing or predates a schema change. */
export async function openUiDesk(o: BenchTarget & { tickets: number }): Promise<UiDesk> {
  const name = `ui_${o.tickets}`;
  const tag = `  [${o.dialect}]`;
  const url = connectionOf(o, name);
  const version = seedTag(VERSION);
  const exists = o.dialect === 'postgres' || fs.existsSync(path.join(o.dir, `${name}.db`));
  let handle = exists ? openDatabase(url) : undefined;
  if (handle && (await cachedTag(handle)) === version) {
    console.log(`${tag} using the cached desk of ${fmtInt(o.tickets)} tickets`);
    await buildFacts(handle, tag);
    await handle.close();
    return { url, tickets: o.tickets };
  }
  await handle?.close();
  await prepareDatabase(o, name);
  handle = openDatabase(url);
  try {
    const start = performance.now();
    const seeded = await seedBulkTickets(handle, o.tickets, {
      onProgress: (done) => process.stdout.write(`\r${tag} seeding ${fmtInt(done)} tickets`),
    });
    process.stdout.write('\n');
    console.log(
      `${tag} seeded ${fmtInt(seeded.tickets)} tickets in ${fmt((performance.now() - start) / 1000, 1)} s; kept for the next runs`,
    );
    await sql`create table bench_ui (version text not null)`.execute(handle.db);
    await sql`insert into bench_ui (version) values (${version})`.execute(handle.db);
    await buildFacts(handle, tag);
    if (handle.dialect === 'postgres') await sql`vacuum analyze`.execute(handle.db);
    else await sql`pragma wal_checkpoint(TRUNCATE)`.execute(handle.db);
  } finally {
    await handle.close();
  }
  return { url, tickets: o.tickets };
}

/** The bulk rows bypass the services: their report facts are built once, after the seed. */
async function buildFacts(handle: DbHandle, tag: string): Promise<void> {
  if ((await factsZone(handle.db)) !== null) return;
  const start = performance.now();
  await rebuildFacts(handle.db, (done) =>
    process.stdout.write(`\r${tag} report facts of ${fmtInt(done)} tickets`),
  );
  process.stdout.write('\n');
  console.log(`${tag} report facts built in ${fmt((performance.now() - start) / 1000, 1)} s`);
}
