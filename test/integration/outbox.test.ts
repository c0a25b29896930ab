import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db, type DbHandle } from '../../src/db/database.ts';
import type { Job } from '../../src/db/schema.ts';
import {
  LEASE_EXPIRED_ERROR,
  backoffMs,
  claimJobs,
  completeJob,
  countByStatus,
  failAttempt,
  insertJobs,
  listFailed,
  reapExpired,
  type JobRow,
} from '../../src/modules/outbox/outbox.repository.ts';
import { runnable } from '../../src/modules/outbox/outbox.registry.ts';
import { retryFailed } from '../../src/modules/outbox/outbox.service.ts';
import { JobRunner, type JobHandler } from '../../src/jobs/runner.ts';
import { HOUR, ManualClock } from '../../src/lib/clock.ts';
import { AppError } from '../../src/lib/errors.ts';
import { silentLog } from '../../src/lib/log.ts';
import { PG_URL, describeEachDialect } from '../support/db.ts';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const silent = silentLog();
/** Jitter fixed at half its range: every backoff is base * 1.05. */
const halfJitter = () => 0.5;

async function add(db: Db, now: number, job: JobRow): Promise<Job> {
  await insertJobs(db, now, [job]);
  return db.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
}

const getJob = (db: Db, id: number) =>
  db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

function runner(db: Db, clock: ManualClock, handlers: Record<string, JobHandler>, workerId = 'w1') {
  return new JobRunner({ db, clock, handlers, workerId, log: silent, random: halfJitter, pollMs: 60_000 });
}

const failing: JobHandler = async () => {
  throw new Error('smtp down');
};

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('backoffMs', () => {
  it('doubles from 5 s, caps at 1 hour and adds up to 10% jitter', () => {
    const none = () => 0;
    expect([1, 2, 3, 4].map((a) => backoffMs(a, none))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(11, none)).toBe(HOUR);
    expect(backoffMs(60, none)).toBe(HOUR);
    expect(backoffMs(1, halfJitter)).toBe(5_250);
    expect(backoffMs(60, () => 0.999_999)).toBeLessThan(HOUR * 1.1);
    expect(backoffMs(60, () => 0.999_999)).toBeGreaterThan(HOUR);
  });
});

describeEachDialect('outbox', (handle, dialect) => {
  let clock: ManualClock;
  beforeEach(async () => {
    // One database per file: each test starts from an empty queue.
    await handle().db.deleteFrom('jobs').execute();
    clock = new ManualClock(T0);
  });

  it('claims and completes a committed job', async () => {
    const { db } = handle();
    await db
      .transaction()
      .execute((trx) => insertJobs(trx, T0, [{ type: 'mail', payload: { to: 'karen@example.com' } }]));
    const seen: unknown[] = [];
    clock.advance(1_000);
    const ran = await runner(db, clock, { mail: async (payload) => void seen.push(payload) }).runOnce();
    expect(ran).toBe(1);
    expect(seen).toEqual([{ to: 'karen@example.com' }]);
    const [job] = await db.selectFrom('jobs').selectAll().execute();
    expect(job).toMatchObject({
      status: 'done',
      attempts: 1,
      locked_by: 'w1',
      locked_until: null,
      finished_at: T0 + 1_000,
      last_error: null,
    });
  });

  it('never sees a job enqueued in a transaction that rolled back', async () => {
    const { db } = handle();
    await expect(
      db.transaction().execute(async (trx) => {
        await insertJobs(trx, T0, [{ type: 'mail', payload: {} }]);
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    let calls = 0;
    expect(await runner(db, clock, { mail: async () => void calls++ }).runOnce()).toBe(0);
    expect(calls).toBe(0);
    expect(await countByStatus(db)).toEqual({ pending: 0, running: 0, done: 0, failed: 0 });
  });

  it('does not let another connection claim a job before its transaction commits', async () => {
    const { db } = handle();
    const other = await secondHandle(handle());
    try {
      const trx = await db.startTransaction().execute();
      await insertJobs(trx, T0, [{ type: 'mail', payload: {} }]);
      if (dialect === 'postgres') {
        expect(await claimJobs(other.db, { workerId: 'w2', now: T0, limit: 10, leaseMs: 60_000 })).toEqual(
          [],
        );
      } else {
        // SQLite has one writer, so a claim would wait for the lock; what matters is the row is invisible.
        const seen = await other.db.selectFrom('jobs').select('id').execute();
        expect(seen).toEqual([]);
      }
      await trx.commit().execute();
      const claimed = await claimJobs(other.db, { workerId: 'w2', now: T0, limit: 10, leaseMs: 60_000 });
      expect(claimed.map((j) => j.locked_by)).toEqual(['w2']);
    } finally {
      await other.close();
    }
  });

  it('claims only due jobs, oldest run_at first, up to the limit', async () => {
    const { db } = handle();
    const later = await add(db, T0, { type: 'a', payload: {}, runAt: T0 + 60_000 });
    const second = await add(db, T0, { type: 'a', payload: {}, runAt: T0 - 1_000 });
    const first = await add(db, T0, { type: 'a', payload: {}, runAt: T0 - 2_000 });
    const third = await add(db, T0, { type: 'a', payload: {} });

    const claimed = await claimJobs(db, { workerId: 'w1', now: T0, limit: 2, leaseMs: 30_000 });
    expect(claimed.map((j) => j.id)).toEqual([first.id, second.id]);
    expect(claimed[0]).toMatchObject({
      status: 'running',
      locked_by: 'w1',
      locked_until: T0 + 30_000,
      attempts: 1,
    });

    expect(
      (await claimJobs(db, { workerId: 'w1', now: T0, limit: 10, leaseMs: 30_000 })).map((j) => j.id),
    ).toEqual([third.id]);
    expect(await claimJobs(db, { workerId: 'w1', now: T0 + 59_999, limit: 10, leaseMs: 30_000 })).toEqual([]);
    const due = await claimJobs(db, { workerId: 'w1', now: T0 + 60_000, limit: 10, leaseMs: 30_000 });
    expect(due.map((j) => j.id)).toEqual([later.id]);
  });

  it('runner leaves a job that is not due yet', async () => {
    const { db } = handle();
    const job = await add(db, T0, { type: 'mail', payload: {}, runAt: T0 + HOUR });
    const r = runner(db, clock, { mail: async () => undefined });
    expect(await r.runOnce()).toBe(0);
    expect(await getJob(db, job.id)).toMatchObject({ status: 'pending', attempts: 0 });
    clock.advance(HOUR);
    expect(await r.runOnce()).toBe(1);
    expect((await getJob(db, job.id)).status).toBe('done');
  });

  it('retries with exponential backoff, then fails for good with the last error', async () => {
    const { db } = handle();
    const job = await add(db, T0, { type: 'mail', payload: {}, maxAttempts: 3 });
    const r = runner(db, clock, { mail: failing });

    expect(await r.runOnce()).toBe(1);
    expect(await getJob(db, job.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      run_at: T0 + 5_250,
      last_error: 'smtp down',
      locked_by: null,
      locked_until: null,
    });

    clock.advance(5_249);
    expect(await r.runOnce()).toBe(0);
    clock.advance(1);
    expect(await r.runOnce()).toBe(1);
    expect(await getJob(db, job.id)).toMatchObject({
      status: 'pending',
      attempts: 2,
      run_at: clock.now() + 10_500,
    });

    clock.advance(10_500);
    expect(await r.runOnce()).toBe(1);
    expect(await getJob(db, job.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      finished_at: clock.now(),
      last_error: 'smtp down',
    });
    clock.advance(HOUR);
    expect(await r.runOnce()).toBe(0);
  });

  it('fails the attempt of a job whose type has no handler, and survives handler errors', async () => {
    const { db } = handle();
    const orphan = await add(db, T0, { type: 'constructor', payload: {} });
    const bad = await add(db, T0, { type: 'throws', payload: {} });
    const good = await add(db, T0, { type: 'ok', payload: {} });
    const handlers: Record<string, JobHandler> = {
      // Not even async: a synchronous throw must be caught like a rejection.
      throws: (() => {
        throw new TypeError('boom');
      }) as JobHandler,
      ok: async () => undefined,
    };
    expect(await runner(db, clock, handlers).runOnce()).toBe(3);
    expect(await getJob(db, orphan.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'no handler for constructor',
    });
    expect(await getJob(db, bad.id)).toMatchObject({ status: 'pending', last_error: 'boom' });
    expect((await getJob(db, good.id)).status).toBe('done');
  });

  it('fails the attempt of a registered job whose stored payload no longer parses, and runs the others', async () => {
    const { db } = handle();
    const stale = await add(db, T0, { type: 'reports.refresh', payload: { ticketIds: 'all' } });
    const fine = await add(db, T0, { type: 'reports.refresh', payload: { ticketIds: [1] } });
    const refreshed: number[][] = [];
    const handlers = runnable({ 'reports.refresh': async ({ ticketIds }) => void refreshed.push(ticketIds) });
    expect(await runner(db, clock, handlers).runOnce()).toBe(2);
    expect(await getJob(db, stale.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error:
        'payload of reports.refresh does not match its schema: ticketIds: Invalid input: expected array, received string',
    });
    expect((await getJob(db, fine.id)).status).toBe('done');
    expect(refreshed).toEqual([[1]]);
  });

  it('completes or fails a job only for the worker that holds it', async () => {
    const { db } = handle();
    await add(db, T0, { type: 'mail', payload: {} });
    const [job] = await claimJobs(db, { workerId: 'w1', now: T0, limit: 1, leaseMs: 1_000 });
    if (!job) throw new Error('expected a claim');
    expect(await completeJob(db, job.id, 'w2', T0)).toBe(false);
    expect(await failAttempt(db, { ...job, locked_by: 'w2' }, new Error('x'), T0)).toBe('lost');
    expect((await getJob(db, job.id)).status).toBe('running');
    expect(await completeJob(db, job.id, 'w1', T0)).toBe(true);
  });

  it('reaps the jobs of a dead worker; their attempt counts', async () => {
    const { db } = handle();
    const job = await add(db, T0, { type: 'mail', payload: {}, maxAttempts: 2 });
    const [claim] = await claimJobs(db, { workerId: 'dead', now: T0, limit: 1, leaseMs: 1_000 });
    if (!claim) throw new Error('expected a claim');

    expect(await reapExpired(db, T0 + 1_000)).toBe(0);
    expect(await reapExpired(db, T0 + 1_001)).toBe(1);
    expect(await getJob(db, job.id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      locked_by: null,
      locked_until: null,
      last_error: LEASE_EXPIRED_ERROR,
    });
    // The dead worker waking up late cannot overwrite what happened since.
    expect(await completeJob(db, job.id, 'dead', T0 + 2_000)).toBe(false);
    expect(await failAttempt(db, claim, new Error('late'), T0 + 2_000)).toBe('lost');

    // Its second (last) attempt dies too: reaping ends it as failed rather than looping forever.
    const [again] = await claimJobs(db, { workerId: 'w2', now: T0 + 2_000, limit: 1, leaseMs: 1_000 });
    expect(again?.attempts).toBe(2);
    expect(await reapExpired(db, T0 + 5_000)).toBe(1);
    expect(await getJob(db, job.id)).toMatchObject({ status: 'failed', finished_at: T0 + 5_000 });
  });

  it('the runner reaps expired leases before claiming', async () => {
    const { db } = handle();
    const job = await add(db, T0, { type: 'mail', payload: {} });
    await claimJobs(db, { workerId: 'dead', now: T0, limit: 1, leaseMs: 1_000 });
    clock.advance(2_000);
    expect(await runner(db, clock, { mail: async () => undefined }).runOnce()).toBe(1);
    expect(await getJob(db, job.id)).toMatchObject({ status: 'done', attempts: 2, last_error: null });
  });

  it('lists failed jobs newest first with a cursor, and retries one', async () => {
    const { db } = handle();
    const jobs = [];
    for (let i = 0; i < 3; i++)
      jobs.push(await add(db, T0, { type: 'mail', payload: { i }, maxAttempts: 1 }));
    await add(db, T0, { type: 'ok', payload: {} });
    expect(await runner(db, clock, { mail: failing, ok: async () => undefined }).runOnce()).toBe(4);
    expect(await countByStatus(db)).toEqual({ pending: 0, running: 0, done: 1, failed: 3 });

    const [a, b, c] = jobs.map((j) => j.id);
    const page1 = await listFailed(db, { limit: 2 });
    expect(page1.map((j) => j.id)).toEqual([c, b]);
    expect(page1[0]?.last_error).toBe('smtp down');
    const page2 = await listFailed(db, { limit: 2, beforeId: page1[1]?.id });
    expect(page2.map((j) => j.id)).toEqual([a]);

    clock.advance(HOUR);
    await retryFailed(db, a!, clock.now());
    expect(await getJob(db, a!)).toMatchObject({
      status: 'pending',
      attempts: 0,
      run_at: clock.now(),
      finished_at: null,
      last_error: 'smtp down',
    });
    expect(await runner(db, clock, { mail: async () => undefined }).runOnce()).toBe(1);
    expect(await getJob(db, a!)).toMatchObject({ status: 'done', attempts: 1, last_error: null });
    expect(await countByStatus(db)).toEqual({ pending: 0, running: 0, done: 2, failed: 2 });
  });

  it('refuses to retry a job that is not failed or does not exist', async () => {
    const { db } = handle();
    const job = await add(db, T0, { type: 'mail', payload: {} });
    await expect(retryFailed(db, job.id, T0)).rejects.toMatchObject({ code: 'job_not_failed', status: 409 });
    await expect(retryFailed(db, job.id + 1_000, T0)).rejects.toBeInstanceOf(AppError);
    await expect(retryFailed(db, job.id + 1_000, T0)).rejects.toMatchObject({ code: 'job_not_found' });
  });

  it('starts jobs as soon as wake() is called, and stop() waits for the ones in flight', async () => {
    const { db } = handle();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = false;
    const r = runner(db, clock, {
      slow: async () => {
        started = true;
        await gate;
      },
    });
    r.start();
    // pollMs is a minute: only wake() can make the runner see this job within the test.
    await insertJobs(db, T0, [{ type: 'slow', payload: {} }]);
    r.wake();
    await waitFor(async () => started);

    let stopped = false;
    const stopping = r.stop().then(() => (stopped = true));
    await new Promise((res) => setTimeout(res, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await db.selectFrom('jobs').select('status').executeTakeFirstOrThrow()).status).toBe('done');

    // Stopped means no more claims, even when woken.
    await insertJobs(db, T0, [{ type: 'slow', payload: {} }]);
    r.wake();
    await new Promise((res) => setTimeout(res, 50));
    expect(await countByStatus(db)).toMatchObject({ pending: 1, done: 1 });
  });

  it('keeps the loop running through failing jobs', async () => {
    const { db } = handle();
    const r = new JobRunner({
      db,
      clock,
      handlers: { bad: failing, ok: async () => undefined },
      log: silent,
      pollMs: 10,
      concurrency: 2,
    });
    await insertJobs(db, T0, [
      ...Array.from({ length: 5 }, () => ({ type: 'bad', payload: {}, maxAttempts: 1 })),
      ...Array.from({ length: 5 }, () => ({ type: 'ok', payload: {} })),
    ]);
    r.start();
    try {
      await waitFor(async () => {
        const c = await countByStatus(db);
        return c.done === 5 && c.failed === 5;
      });
    } finally {
      await r.stop();
    }
  });
});

/** A second, independent connection to the same database (its own pool on PostgreSQL). */
async function secondHandle(first: DbHandle): Promise<DbHandle> {
  if (first.dialect === 'sqlite') return openDatabase(`sqlite:${first.file}`);
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(first.db);
  return openDatabase(PG_URL, { schema: rows[0]!.schema, poolSize: 2 });
}
