import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db, type DbHandle } from '../../src/db/database.ts';
import { countByStatus, insertJobs, type JobRow } from '../../src/modules/outbox/outbox.repository.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { silentLog } from '../../src/lib/log.ts';
import { PG_URL, dialects, freshDatabase } from '../support/db.ts';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const silent = silentLog();

interface Run {
  jobId: number;
  worker: string;
}

async function enqueueMany(db: Db, count: number): Promise<number[]> {
  const jobs: JobRow[] = Array.from({ length: count }, (_, i) => ({ type: 'work', payload: { i } }));
  // Batches keep the statement under both dialects' bound-parameter limits.
  for (let i = 0; i < jobs.length; i += 500) await insertJobs(db, T0, jobs.slice(i, i + 500));
  const rows = await db.selectFrom('jobs').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Runs every runner until the queue is drained, then stops them all; returns who ran what. */
async function drain(dbs: Db[], total: number, concurrency: number): Promise<Run[]> {
  const runs: Run[] = [];
  const clock = new ManualClock(T0);
  const runners = dbs.map(
    (db, i) =>
      new JobRunner({
        db,
        clock,
        workerId: `w${i + 1}`,
        concurrency,
        pollMs: 5,
        log: silent,
        handlers: {
          work: async (_payload, job) => {
            runs.push({ jobId: job.id, worker: job.locked_by ?? '?' });
            // Yield so the runners interleave instead of one draining a whole batch synchronously.
            await new Promise((r) => setTimeout(r, Math.random() * 2));
          },
        },
      }),
  );
  for (const r of runners) r.start();
  try {
    const deadline = Date.now() + 60_000;
    while ((await countByStatus(dbs[0]!)).done < total) {
      if (Date.now() > deadline) throw new Error('the queue was not drained in time');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await Promise.all(runners.map((r) => r.stop()));
  }
  return runs;
}

async function expectExactlyOnce(db: Db, ids: number[], runs: Run[], workers: number): Promise<void> {
  const ran = runs.map((r) => r.jobId).sort((a, b) => a - b);
  expect(ran.length).toBe(ids.length);
  expect(new Set(ran).size).toBe(ids.length);
  expect(ran).toEqual(ids);
  const perWorker = new Map<string, number>();
  for (const r of runs) perWorker.set(r.worker, (perWorker.get(r.worker) ?? 0) + 1);
  expect([...perWorker.keys()].sort()).toEqual(Array.from({ length: workers }, (_, i) => `w${i + 1}`));
  expect(await countByStatus(db)).toEqual({ pending: 0, running: 0, done: ids.length, failed: 0 });
  const reclaimed = await db.selectFrom('jobs').select('id').where('attempts', '!=', 1).execute();
  expect(reclaimed).toEqual([]);
}

if (dialects.includes('postgres')) {
  describe('outbox concurrency [postgres]: four workers, four pools', () => {
    let first: DbHandle | undefined;
    const others: DbHandle[] = [];
    beforeAll(async () => {
      first = await freshDatabase('postgres');
      // Each worker gets its own pool on the same schema, as separate Deskline processes would.
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(first.db);
      const schema = rows[0]!.schema;
      for (let i = 0; i < 3; i++) others.push(openDatabase(PG_URL, { schema, poolSize: 6 }));
    });
    afterAll(async () => {
      await Promise.all(others.map((h) => h.close()));
      await first?.close();
    });

    it('runs each of 2,000 jobs exactly once, spread over every worker', async () => {
      const db = first!.db;
      const ids = await enqueueMany(db, 2_000);
      const runs = await drain([db, ...others.map((h) => h.db)], ids.length, 4);
      await expectExactlyOnce(db, ids, runs, 4);
    });
  });
}

describe('outbox concurrency [sqlite]', () => {
  let handle: DbHandle | undefined;
  let second: DbHandle | undefined;
  beforeAll(async () => {
    handle = await freshDatabase('sqlite');
    second = openDatabase(`sqlite:${handle.file}`);
  });
  afterAll(async () => {
    await second?.close();
    await handle?.close();
  });

  it('two runners sharing one handle run each job exactly once', async () => {
    const db = handle!.db;
    await db.deleteFrom('jobs').execute();
    const ids = await enqueueMany(db, 1_000);
    const runs = await drain([db, db], ids.length, 4);
    await expectExactlyOnce(db, ids, runs, 2);
  });

  it('two runners on separate connections to one file run each job exactly once', async () => {
    const db = handle!.db;
    await db.deleteFrom('jobs').execute();
    const ids = await enqueueMany(db, 1_000);
    const runs = await drain([db, second!.db], ids.length, 4);
    await expectExactlyOnce(db, ids, runs, 2);
  });
});
