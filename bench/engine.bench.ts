import { sql } from 'kysely';
import pg from 'pg';
import type { DbHandle, Dialect } from '../src/db/database.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { systemClock } from '../src/lib/clock.ts';
import type { Deps } from '../src/lib/deps.ts';
import { SYSTEM } from '../src/modules/auth/auth.actor.ts';
import { ReferenceCache } from '../src/modules/directory/reference-cache.ts';
import { createTicket } from '../src/modules/tickets/tickets.intake.service.ts';
import { listTickets } from '../src/modules/tickets/tickets.list.service.ts';
import { listQueue, type QueueQuery } from '../src/modules/tickets/tickets.queues.repository.ts';
import { seedBulkTickets } from '../src/seed/bulk.ts';
import { seedDemoReference } from '../src/seed/demo-reference.ts';
import { fmt, fmtInt, table, timeMany } from './stats.ts';
import { silentLog } from '../src/lib/log.ts';

// The ticket engine's figures: tickets created per second through the service
// layer, and p50/p95 of the agent queue queries with N tickets in the database.

export interface EngineOptions {
  dialect: Dialect;
  tickets: number;
  creates: number;
  dir: string;
  pgUrl: string;
}

export interface EngineResult {
  dialect: Dialect;
  /** Tickets per second by number of concurrent callers. */
  creates: { concurrency: number; perSecond: number }[];
  seeded: number;
  seedSeconds: number;
  queues: { name: string; p50: number; p95: number; rows: number }[];
}

async function freshBenchDb(o: EngineOptions): Promise<DbHandle> {
  if (o.dialect === 'sqlite') {
    const file = `${o.dir}/bench.db`;
    const fs = await import('node:fs');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    fs.mkdirSync(o.dir, { recursive: true });
    return openDatabase(`sqlite:${file}`);
  }
  const admin = new pg.Client({ connectionString: o.pgUrl });
  await admin.connect();
  await admin.query('drop schema if exists deskline_bench cascade');
  await admin.query('create schema deskline_bench');
  await admin.end();
  return openDatabase(o.pgUrl, { schema: 'deskline_bench', poolSize: 16 });
}

/** Creates tickets through createTicket with `concurrency` callers at once (a server's concurrent requests). */
async function createThroughput(deps: Deps, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const topics = ['General Inquiry', 'Report a Problem', 'Billing Question', 'Feature Request'];
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await createTicket(deps, SYSTEM, {
        subject: `Benchmark request ${i}: printer offline on floor ${i % 9}`,
        body: 'The shared printer shows offline for every laptop since the network change this morning. '.repeat(
          4,
        ),
        requester: { email: `bench${i % 5000}@customers.example`, name: `Bench Customer ${i % 5000}` },
        helpTopic: topics[i % topics.length]!,
        source: 'api',
      });
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / ((performance.now() - start) / 1000);
}

async function queueLatencies(handle: DbHandle) {
  const db = handle.db;
  const id = async (table: 'departments' | 'agents', col: 'name' | 'email', v: string) =>
    (await db.selectFrom(table).select('id').where(col, '=', v).executeTakeFirstOrThrow()).id;
  const support = await id('departments', 'name', 'Support');
  const jane = await id('agents', 'email', 'jane@deskline.local');
  const allDepts = (await db.selectFrom('departments').select('id').execute()).map((d) => d.id);
  const cases: [string, QueueQuery][] = [
    ['department open (Support), page 1', { queue: 'open', departmentIds: [support] }],
    ['open across all departments', { queue: 'open', departmentIds: allDepts }],
    ['my tickets (Jane)', { queue: 'mine', agentId: jane }],
    ['unassigned (all departments)', { queue: 'unassigned', departmentIds: allDepts }],
    ['closed (Support), newest first', { queue: 'closed', departmentIds: [support] }],
  ];
  const out: EngineResult['queues'] = [];
  for (const [name, q] of cases) {
    let rows = 0;
    await listQueue(db, q); // warm the cache once
    const t = await timeMany(200, async () => (rows = (await listQueue(db, q)).items.length));
    out.push({ name, p50: t.p50, p95: t.p95, rows });
  }
  out.push(...(await searchLatencies(db)));
  // Deep paging: the 20th page costs what the first does (keyset, not OFFSET).
  let cursor: string | null = null;
  for (let p = 0; p < 19; p++)
    cursor = (await listQueue(db, { queue: 'open', departmentIds: [support], cursor })).nextCursor;
  const deep = await timeMany(200, () => listQueue(db, { queue: 'open', departmentIds: [support], cursor }));
  out.push({ name: 'department open, page 20 (cursor)', p50: deep.p50, p95: deep.p95, rows: 50 });
  return out;
}

/** Full-text search over subjects and every thread body, newest first, a page of 50 (as an admin). */
export async function searchLatencies(db: DbHandle['db']): Promise<EngineResult['queues']> {
  const deps: Deps = { db, clock: systemClock, log: silentLog() };
  const some = await db
    .selectFrom('tickets')
    .select('number')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const cases: [string, string][] = [
    ['search "refund" (a subject word)', 'refund'],
    ['search "credit note" (thread words)', 'credit note'],
    ['search "quokka" (a word no ticket has)', 'quokka'],
    ['search "#number"', `#${some.number}`],
  ];
  const out: EngineResult['queues'] = [];
  for (const [name, q] of cases) {
    let rows = 0;
    await listTickets(deps, SYSTEM, { q });
    const t = await timeMany(50, async () => (rows = (await listTickets(deps, SYSTEM, { q })).items.length));
    out.push({ name, p50: t.p50, p95: t.p95, rows });
  }
  return out;
}

export async function benchEngine(o: EngineOptions): Promise<EngineResult> {
  const handle = await freshBenchDb(o);
  try {
    await migrateToLatest(handle.db);
    await handle.db.transaction().execute((trx) => seedDemoReference(trx, systemClock.now()));
    const deps: Deps = {
      db: handle.db,
      clock: systemClock,
      log: silentLog(),
      reference: new ReferenceCache(handle.db, systemClock),
    };
    await createThroughput(deps, 500, 4); // warm-up
    const creates: EngineResult['creates'] = [];
    for (const concurrency of [1, 16, 64]) {
      const perSecond = await createThroughput(deps, o.creates, concurrency);
      creates.push({ concurrency, perSecond });
      console.log(
        `  [${o.dialect}] createTicket: ${fmtInt(perSecond)} tickets/s (${fmtInt(o.creates)} tickets, ${concurrency} concurrent callers)`,
      );
    }

    const seedStart = performance.now();
    const seeded = await seedBulkTickets(handle, o.tickets, {
      onProgress: (n) => process.stdout.write(`\r  [${o.dialect}] seeding ${fmtInt(n)} tickets`),
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    process.stdout.write('\n');
    const total = await handle.db
      .selectFrom('tickets')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    console.log(
      `  [${o.dialect}] seeded ${fmtInt(seeded.tickets)} tickets (${fmtInt(seeded.entries)} entries) in ${fmt(seedSeconds, 1)} s; ${fmtInt(total.n)} tickets in total`,
    );
    const queues = await queueLatencies(handle);
    console.log(
      table([
        ['  query', 'p50 ms', 'p95 ms', 'rows'],
        ...queues.map((q) => [`  ${q.name}`, fmt(q.p50), fmt(q.p95), q.rows]),
      ]),
    );
    return {
      dialect: o.dialect,
      creates,
      seeded: total.n,
      seedSeconds,
      queues,
    };
  } finally {
    await handle.close();
  }
}
