import { beforeEach, expect, it } from 'vitest';
import { claimJobs, insertJobs } from '../../src/modules/outbox/outbox.repository.ts';
import { JobRunner, type JobHandler } from '../../src/jobs/runner.ts';
import { silentLog } from '../../src/lib/log.ts';
import { systemClock } from '../../src/lib/clock.ts';
import type { Db } from '../../src/db/database.ts';
import { describeEachDialect } from '../support/db.ts';

// Leases on the real clock: a running job keeps its short lease by heartbeats,
// and a runner told to stop hands back what it cannot finish in time. The
// cross-process half (SIGKILL, SIGTERM) is in test/integration/shutdown.test.ts.

const silent = silentLog();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jobRow = (db: Db) => db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

const runner = (db: Db, workerId: string, handlers: Record<string, JobHandler>) =>
  new JobRunner({
    db,
    clock: systemClock,
    handlers,
    workerId,
    log: silent,
    pollMs: 20,
    leaseMs: 300,
    heartbeatMs: 100,
  });

describeEachDialect('outbox leases', (handle) => {
  beforeEach(async () => {
    await handle().db.deleteFrom('jobs').execute();
  });

  it('a job running far longer than its lease keeps it by heartbeats: no other runner takes it', async () => {
    const { db } = handle();
    const runs: string[] = [];
    const slow =
      (who: string): JobHandler =>
      async () => {
        runs.push(who);
        await sleep(1_500); // five leases
      };
    const a = runner(db, 'a', { slow: slow('a') });
    const b = runner(db, 'b', { slow: slow('b') });
    await insertJobs(db, Date.now(), [{ type: 'slow', payload: {} }]);
    a.start();
    await waitFor(async () => runs.length === 1);
    b.start(); // polls (and reaps expired leases) every 20 ms meanwhile
    try {
      await waitFor(async () => (await jobRow(db)).status === 'done');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(runs).toEqual(['a']);
    expect(await jobRow(db)).toMatchObject({ status: 'done', attempts: 1, locked_by: 'a' });
  });

  it('a job running past maxRunMs is presumed hung: its lease lapses and another runner runs it', async () => {
    const { db } = handle();
    const runs: string[] = [];
    const handlers = (who: string): Record<string, JobHandler> => ({
      stuck: async () => {
        runs.push(who);
        if (who === 'a') await new Promise(() => undefined);
      },
    });
    const a = new JobRunner({
      db,
      clock: systemClock,
      handlers: handlers('a'),
      workerId: 'a',
      log: silent,
      pollMs: 60_000, // claims once, at start
      leaseMs: 300,
      heartbeatMs: 100,
      maxRunMs: 400,
    });
    const b = runner(db, 'b', handlers('b'));
    await insertJobs(db, Date.now(), [{ type: 'stuck', payload: {} }]);
    a.start();
    await waitFor(async () => runs.length === 1);
    b.start();
    try {
      await waitFor(async () => (await jobRow(db)).status === 'done');
    } finally {
      await Promise.all([a.stop(0), b.stop()]);
    }
    expect(runs).toEqual(['a', 'b']);
    expect(await jobRow(db)).toMatchObject({ status: 'done', attempts: 2, locked_by: 'b' });
  });

  it('stop(grace) hands a job it cannot finish back to the queue, its attempt not counted', async () => {
    const { db } = handle();
    let started = false;
    const a = runner(db, 'a', {
      hang: async () => {
        started = true;
        await new Promise(() => undefined); // a relay that never answers
      },
    });
    await insertJobs(db, Date.now(), [{ type: 'hang', payload: {}, maxAttempts: 3 }]);
    a.start();
    await waitFor(async () => started);
    expect(await jobRow(db)).toMatchObject({ status: 'running', attempts: 1, locked_by: 'a' });

    const t0 = Date.now();
    await a.stop(200);
    expect(Date.now() - t0).toBeLessThan(1_500);
    const released = await jobRow(db);
    expect(released).toMatchObject({ status: 'pending', attempts: 0, locked_by: null, locked_until: null });
    expect(released.run_at).toBeLessThanOrEqual(Date.now());
    // Claimable at once by another worker, without waiting out a lease.
    const [claimed] = await claimJobs(db, { workerId: 'b', now: Date.now(), limit: 5, leaseMs: 300 });
    expect(claimed).toMatchObject({ id: released.id, attempts: 1, locked_by: 'b' });
  });

  it('stop(grace) returns in time also when every slot is busy', async () => {
    const { db } = handle();
    const a = new JobRunner({
      db,
      clock: systemClock,
      handlers: { hang: () => new Promise(() => undefined) },
      workerId: 'a',
      log: silent,
      pollMs: 20,
      concurrency: 2,
    });
    await insertJobs(
      db,
      Date.now(),
      Array.from({ length: 3 }, () => ({ type: 'hang', payload: {} })),
    );
    a.start();
    await waitFor(
      async () =>
        (await db.selectFrom('jobs').select('id').where('status', '=', 'running').execute()).length === 2,
    );
    const t0 = Date.now();
    await a.stop(100);
    expect(Date.now() - t0).toBeLessThan(1_500);
    const rows = await db.selectFrom('jobs').select(['status', 'attempts']).execute();
    expect(rows).toEqual(Array.from({ length: 3 }, () => ({ status: 'pending', attempts: 0 })));
  });
});
