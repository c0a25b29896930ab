import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from '../db/database.ts';
import type { Job } from '../db/schema.ts';
import { MINUTE, SECOND, type Clock } from '../lib/clock.ts';
import { settlesWithin } from '../lib/deadline.ts';
import type { Log } from '../lib/log.ts';
import {
  claimJobs,
  completeJobs,
  failAttempt,
  reapExpired,
  releaseJobs,
  renewLeases,
} from '../modules/outbox/outbox.repository.ts';
import type { JobHandler } from '../modules/outbox/outbox.registry.ts';

export type { JobHandler };

export interface JobRunnerOptions {
  db: Db;
  clock: Clock;
  /** By job type; `runnable` (outbox.registry.ts) makes this table from typed handlers. */
  handlers: Record<string, JobHandler>;
  /** Recorded in jobs.locked_by; unique per process by default. */
  workerId?: string;
  /** Jobs run at the same time by this runner (default 16). */
  concurrency?: number;
  /** How long to sleep when the queue is empty and nobody calls wake() (default 1 s). */
  pollMs?: number;
  /**
   * How long a claim lasts without a heartbeat (default 15 s). The runner renews
   * it while the job runs, so it bounds how long a dead worker's jobs wait.
   */
  leaseMs?: number;
  /** How often the leases of running jobs are renewed (default a third of the lease). */
  heartbeatMs?: number;
  /**
   * A job still running after this long is presumed hung (default 5 min): its
   * lease is no longer renewed, so it is reaped and run again, as before heartbeats.
   */
  maxRunMs?: number;
  /** After a wake(), wait this long so a burst of commits is claimed as one batch (default 20 ms). */
  batchDelayMs?: number;
  /** Failures are also in jobs.last_error, where admins see them; this gets the runner's own problems too. */
  log: Log;
  /** Jitter source for retry backoff; tests pass a fixed one. */
  random?: () => number;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

/**
 * Claims due jobs from the outbox and runs their handlers. Delivery is at
 * least once: a job whose worker dies (or overruns its lease) runs again, so
 * handlers must be idempotent (e.g. mail_log.job_id is unique).
 */
export class JobRunner {
  readonly workerId: string;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly handlers: Record<string, JobHandler>;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly maxRunMs: number;
  private readonly batchDelayMs: number;
  /** Expired leases are looked for at most this often: each look is a write. */
  private readonly reapEveryMs: number;
  private lastReap = -Infinity;
  private readonly log: Log;
  private readonly random: () => number;

  private readonly inFlight = new Set<Promise<void>>();
  /** Jobs whose handler is running under our lease, by id: what the heartbeat renews and stop() releases. */
  private readonly held = new Map<number, { job: Job; since: number }>();
  private heartbeat: NodeJS.Timeout | undefined;
  private renewing = false;
  private running = false;
  /** Set once stop() released the unfinished jobs: their outcome is no longer ours to record. */
  private released = false;
  private loop: Promise<void> | undefined;
  /** Resolved by stop(), so a loop waiting for a free slot stops waiting. */
  private stopRequested: Promise<void> = Promise.resolve();
  private requestStop: () => void = () => undefined;
  /** Set by wake(); a wake during a poll must not be lost to the sleep that follows it. */
  private woken = false;
  private interruptSleep: (() => void) | undefined;
  /** Jobs whose handler succeeded, waiting to be marked done together. */
  private readonly finished: {
    id: number;
    resolve: (mine: boolean) => void;
    reject: (err: unknown) => void;
  }[] = [];

  constructor(options: JobRunnerOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.handlers = options.handlers;
    this.workerId =
      options.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
    this.concurrency = options.concurrency ?? 16;
    this.pollMs = options.pollMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 15 * SECOND;
    this.heartbeatMs = options.heartbeatMs ?? this.leaseMs / 3;
    this.maxRunMs = options.maxRunMs ?? 5 * MINUTE;
    this.batchDelayMs = options.batchDelayMs ?? 20;
    this.reapEveryMs = Math.min(10 * SECOND, this.leaseMs / 3);
    this.log = options.log.child({ workerId: this.workerId });
    this.random = options.random ?? Math.random;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new Error(`concurrency must be a positive integer (got ${this.concurrency})`);
    }
  }

  /** Starts the polling loop in the background; idempotent. */
  start(): void {
    if (this.loop) return;
    this.running = true;
    this.released = false;
    this.stopRequested = new Promise((resolve) => (this.requestStop = resolve));
    this.loop = this.runLoop();
  }

  /**
   * Graceful shutdown: stops claiming, then gives the jobs already running
   * `graceMs` to finish. Those still running then are released to the queue
   * (pending, their attempt not counted) for another worker to run at once,
   * instead of waiting for their lease to run out.
   */
  async stop(graceMs = Infinity): Promise<void> {
    this.running = false;
    this.requestStop();
    this.wake();
    const drained = (async () => {
      await this.loop;
      await Promise.all(this.inFlight);
    })();
    const inTime = Number.isFinite(graceMs) ? await settlesWithin(drained, graceMs) : (await drained, true);
    this.loop = undefined;
    if (!inTime) await this.releaseHeld();
    this.stopHeartbeat();
  }

  /** Polls now instead of at the end of the sleep: services call it after committing new jobs. */
  wake(): void {
    this.woken = true;
    this.interruptSleep?.();
  }

  /** Claims one batch (up to the free capacity), runs it and waits for it; returns how many ran. */
  async runOnce(): Promise<number> {
    const started = await this.poll();
    await Promise.all(started);
    return started.length;
  }

  private async runLoop(): Promise<void> {
    // Polls that failed in a row (the database is away): wait longer each time, up to 30 s.
    let failures = 0;
    while (this.running) {
      const free = this.concurrency - this.inFlight.size;
      if (free === 0) {
        // Every slot is busy: the next chance to claim is when one frees up (or we stop).
        await Promise.race([...this.inFlight, this.stopRequested]);
        continue;
      }
      let claimed = 0;
      try {
        claimed = (await this.poll()).length;
        failures = 0;
      } catch (err) {
        failures++;
        this.log.error({ err, failures }, 'polling the job queue failed; retrying with back-off');
      }
      const pause = failures > 0 ? Math.min(this.pollMs * 2 ** (failures - 1), 30_000) : this.pollMs;
      // A full batch suggests more are due: claim again as soon as a slot frees.
      if (claimed < free && this.running) await this.sleep(pause);
    }
  }

  /** Reaps expired leases, claims up to the free capacity and starts the handlers (not awaited). */
  private async poll(): Promise<Promise<void>[]> {
    // Anything committed before this point is seen by the claim below.
    this.woken = false;
    const now = this.clock.now();
    if (now - this.lastReap >= this.reapEveryMs) {
      this.lastReap = now;
      const reaped = await reapExpired(this.db, now);
      if (reaped > 0) this.log.warn({ reaped }, 'returned jobs whose lease expired to the queue');
    }
    const limit = this.concurrency - this.inFlight.size;
    const jobs = await claimJobs(this.db, { workerId: this.workerId, now, limit, leaseMs: this.leaseMs });
    // stop() ran out of time while this claim was under way: hand the jobs straight back.
    if (this.released) {
      await releaseJobs(this.db, jobs, this.workerId);
      return [];
    }
    return jobs.map((job) => this.launch(job));
  }

  private launch(job: Job): Promise<void> {
    this.held.set(job.id, { job, since: this.clock.now() });
    this.heartbeat ??= setInterval(() => void this.renew(), this.heartbeatMs).unref();
    const done: Promise<void> = this.execute(job).finally(() => {
      this.inFlight.delete(done);
      if (this.held.size === 0) this.stopHeartbeat();
    });
    this.inFlight.add(done);
    return done;
  }

  /** Runs one job and records the outcome; never rejects, so one job cannot stop the loop. */
  private async execute(job: Job): Promise<void> {
    const outcome = await this.invoke(job);
    // Released by stop() meanwhile: the next worker owns the job now.
    if (!this.held.delete(job.id) || this.released) return;
    const log = this.log.child({ jobId: job.id, type: job.type, attempt: job.attempts });
    try {
      if (outcome.ok) {
        const mine = await this.complete(job.id);
        if (!mine) log.warn('job finished after its lease was taken back; it may run twice');
        return;
      }
      const result = await failAttempt(this.db, job, outcome.error, this.clock.now(), this.random);
      const msg =
        result === 'failed'
          ? 'job failed for good'
          : result === 'retry'
            ? 'job failed; will retry'
            : 'job failed after its lease was taken back';
      log.warn({ err: outcome.error }, msg);
    } catch (err) {
      // The lease will expire and the job will be claimed again.
      log.error({ err }, 'could not record the outcome of a job');
    }
  }

  /**
   * Marks a job done. Jobs that finish in the same turn of the event loop are
   * recorded with one UPDATE: under load a burst of mail jobs ends together,
   * and one write per job was a large share of the worker's cost on SQLite.
   */
  private complete(id: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.finished.push({ id, resolve, reject });
      if (this.finished.length === 1) setImmediate(() => void this.flushFinished());
    });
  }

  private async flushFinished(): Promise<void> {
    const batch = this.finished.splice(0);
    try {
      const mine = await completeJobs(
        this.db,
        batch.map((b) => b.id),
        this.workerId,
        this.clock.now(),
      );
      for (const b of batch) b.resolve(mine.has(b.id));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }

  /** The heartbeat: extends the lease of every job running here, up to maxRunMs. */
  private async renew(): Promise<void> {
    const now = this.clock.now();
    const ids = [...this.held].filter(([, h]) => now - h.since < this.maxRunMs).map(([id]) => id);
    if (ids.length === 0 || this.renewing) return;
    this.renewing = true;
    try {
      const mine = await renewLeases(this.db, ids, this.workerId, now + this.leaseMs);
      const lost = ids.filter((id) => !mine.has(id) && this.held.has(id));
      if (lost.length > 0)
        this.log.warn({ jobIds: lost }, 'jobs were taken back after missed heartbeats; they may run twice');
    } catch (err) {
      this.log.error({ err }, 'renewing job leases failed; retrying at the next beat');
    } finally {
      this.renewing = false;
    }
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Hands the jobs still running back to the queue (stop() ran out of time). */
  private async releaseHeld(): Promise<void> {
    this.released = true;
    const jobs = [...this.held.values()].map((h) => h.job);
    this.held.clear();
    try {
      const released = await releaseJobs(this.db, jobs, this.workerId);
      if (released > 0) this.log.warn({ released }, 'stopped before jobs finished; released them');
    } catch (err) {
      // Their lease runs out within leaseMs and the reaper returns them then.
      this.log.error({ err }, 'could not release unfinished jobs');
    }
  }

  private async invoke(job: Job): Promise<Outcome> {
    try {
      // hasOwn: a job type such as "constructor" must not find Object.prototype members.
      const handler = Object.hasOwn(this.handlers, job.type) ? this.handlers[job.type] : undefined;
      if (!handler) throw new Error(`no handler for ${job.type}`);
      await handler(JSON.parse(job.payload) as unknown, job);
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** Sleeps up to `ms`; a wake() ends the sleep after batchDelayMs, so a burst is claimed together. */
  private sleep(ms: number): Promise<void> {
    if (this.woken) return this.pause(Math.min(ms, this.batchDelayMs));
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.interruptSleep = () => {
        clearTimeout(timer);
        this.interruptSleep = undefined;
        if (!this.running) return resolve();
        setTimeout(resolve, this.batchDelayMs);
      };
    });
  }

  private pause(ms: number): Promise<void> {
    return ms > 0 && this.running ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
  }
}
