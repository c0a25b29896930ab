import { sql, type Updateable } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import type { Job, JobStatus, JobsTable } from '../../db/schema.ts';
import { HOUR } from '../../lib/clock.ts';

// The outbox's SQL: jobs are inserted in the transaction of the change that
// causes them, then claimed, leased, retried and finished by the runner
// (src/jobs/runner.ts). Typed enqueueing is outbox.service.ts; this file takes
// any type name, so the runner's own tests can use theirs.

/** A row to insert; `type` is checked by enqueue (outbox.service.ts), not here. */
export interface JobRow {
  type: string;
  payload: unknown;
  /** Epoch ms; defaults to now. */
  runAt?: number;
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/** Inserts jobs with the caller's db or transaction: workers see them once it commits. */
export async function insertJobs(db: Db, now: number, jobs: readonly JobRow[]): Promise<void> {
  if (jobs.length === 0) return;
  await db
    .insertInto('jobs')
    .values(
      jobs.map((j) => ({
        type: j.type,
        payload: JSON.stringify(j.payload),
        status: 'pending' as const,
        max_attempts: j.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        run_at: j.runAt ?? now,
        created_at: now,
      })),
    )
    .execute();
}

// Status conditions are literals, not parameters: the partial indexes
// (jobs_due, jobs_running, jobs_failed) are declared with literal predicates and
// neither planner matches a bound parameter against them.
const PENDING = sql.lit<JobStatus>('pending');
const RUNNING = sql.lit<JobStatus>('running');
const FAILED = sql.lit<JobStatus>('failed');

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_CAP_MS = HOUR;
const MAX_ERROR_LENGTH = 2_000;
export const LEASE_EXPIRED_ERROR = 'lease expired: the worker stopped before finishing';

export interface ClaimOptions {
  workerId: string;
  now: number;
  limit: number;
  leaseMs: number;
}

/**
 * Moves up to `limit` due jobs to 'running' under this worker's lease and
 * returns them, oldest first. One statement on both dialects: on PostgreSQL
 * SKIP LOCKED lets many workers claim side by side without waiting on or
 * double-claiming a row; on SQLite a single UPDATE takes the write lock before
 * it reads, so it is atomic without a deferred BEGIN (whose read-then-write
 * upgrade fails with SQLITE_BUSY when another connection wrote in between).
 */
export async function claimJobs(db: Db, { workerId, now, limit, leaseMs }: ClaimOptions): Promise<Job[]> {
  if (limit <= 0) return [];
  const due = db
    .selectFrom('jobs')
    .select('id')
    .where('status', '=', PENDING)
    .where('run_at', '<=', now)
    .orderBy('run_at')
    .orderBy('id')
    .limit(limit)
    .$if(isPostgres(db), (qb) => qb.forUpdate().skipLocked());
  const jobs = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      locked_by: workerId,
      locked_until: now + leaseMs,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  // RETURNING order is unspecified on both dialects.
  return jobs.sort((a, b) => a.run_at - b.run_at || a.id - b.id);
}

/** Updates those of `ids` this worker still runs (a lease taken back meanwhile is not its any more); returns their ids. */
async function updateOwnRunning(
  db: Db,
  ids: number[],
  workerId: string,
  set: Updateable<JobsTable>,
): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .updateTable('jobs')
    .set(set)
    .where('id', 'in', ids)
    .where('status', '=', RUNNING)
    .where('locked_by', '=', workerId)
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Marks a job this worker holds as done; false when its lease was taken back meanwhile. */
export async function completeJob(db: Db, id: number, workerId: string, now: number): Promise<boolean> {
  return (await completeJobs(db, [id], workerId, now)).has(id);
}

/** Marks many jobs done in one statement; returns the ids that were still this worker's. */
export async function completeJobs(
  db: Db,
  ids: number[],
  workerId: string,
  now: number,
): Promise<Set<number>> {
  return updateOwnRunning(db, ids, workerId, {
    status: 'done',
    finished_at: now,
    locked_until: null,
    last_error: null,
  });
}

/**
 * Extends this worker's lease on jobs it is still running (the runner's
 * heartbeat), so a short lease is enough however long a job takes. Returns the
 * ids that were still this worker's: a missing one was reaped meanwhile.
 */
export async function renewLeases(
  db: Db,
  ids: number[],
  workerId: string,
  lockedUntil: number,
): Promise<Set<number>> {
  return updateOwnRunning(db, ids, workerId, { locked_until: lockedUntil });
}

/**
 * Hands claimed jobs back to the queue unfinished (a worker shutting down), due
 * as before, for any worker to claim at once. The claim's attempt is taken back:
 * the job did not fail, its worker stopped. Returns how many were released.
 */
export async function releaseJobs(db: Db, jobs: Pick<Job, 'id' | 'attempts'>[], workerId: string) {
  if (jobs.length === 0) return 0;
  const result = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'pending',
      locked_by: null,
      locked_until: null,
      attempts: eb('attempts', '-', 1),
    }))
    .where('status', '=', RUNNING)
    .where('locked_by', '=', workerId)
    // (id, attempts) identifies the claim, as in failAttempt.
    .where((eb) => eb.or(jobs.map((j) => eb.and([eb('id', '=', j.id), eb('attempts', '=', j.attempts)]))))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Exponential backoff for the retry after `attempt` failed: 5 s, 10 s, 20 s … capped at 1 hour, plus up to 10% jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1), BACKOFF_CAP_MS);
  // Jitter spreads retries of jobs that failed together (e.g. the SMTP relay was down).
  return base + Math.floor(base * 0.1 * random());
}

export type FailOutcome = 'retry' | 'failed' | 'lost';

/**
 * Records a failed attempt of a job this worker claimed: back to 'pending'
 * after a backoff, or 'failed' once max_attempts is used up. 'lost' when the
 * claim is no longer ours (reaped and possibly claimed again), so we leave it alone.
 */
export async function failAttempt(
  db: Db,
  job: Job,
  error: unknown,
  now: number,
  random: () => number = Math.random,
): Promise<FailOutcome> {
  const exhausted = job.attempts >= job.max_attempts;
  const result = await db
    .updateTable('jobs')
    .set(
      exhausted
        ? { status: 'failed', finished_at: now, locked_until: null }
        : {
            status: 'pending',
            run_at: now + backoffMs(job.attempts, random),
            locked_by: null,
            locked_until: null,
          },
    )
    .set({ last_error: errorText(error) })
    .where('id', '=', job.id)
    .where('status', '=', RUNNING)
    .where('locked_by', '=', job.locked_by)
    // attempts identifies this claim: a reaped job re-claimed by the same worker id has a higher count.
    .where('attempts', '=', job.attempts)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return 'lost';
  return exhausted ? 'failed' : 'retry';
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/**
 * Returns running jobs whose lease ran out (their worker died or hung) to
 * 'pending'. The attempt they used counts, so a job that kills its worker every
 * time ends 'failed' instead of looping forever. Returns how many were reaped.
 */
export async function reapExpired(db: Db, now: number): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({
      status: sql<JobStatus>`case when attempts >= max_attempts then 'failed' else 'pending' end`,
      finished_at: sql<
        number | null
      >`case when attempts >= max_attempts then cast(${now} as bigint) else null end`,
      locked_by: null,
      locked_until: null,
      last_error: LEASE_EXPIRED_ERROR,
    })
    .where('status', '=', RUNNING)
    .where('locked_until', '<', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface ListFailedOptions {
  limit: number;
  /** Cursor: only jobs with a smaller id (the last id of the previous page). */
  beforeId?: number;
}

/** Failed jobs, newest first, for the admin view. */
export async function listFailed(db: Db, { limit, beforeId }: ListFailedOptions): Promise<Job[]> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('status', '=', FAILED)
    .$if(beforeId !== undefined, (qb) => qb.where('id', '<', beforeId ?? 0))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Gives a failed job a fresh set of attempts, due now; false when the job is
 * not failed (or not there). last_error stays so the admin still sees why it
 * failed until it succeeds.
 */
export async function resetFailed(db: Db, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({
      status: 'pending',
      attempts: 0,
      run_at: now,
      finished_at: null,
      locked_by: null,
      locked_until: null,
    })
    .where('id', '=', id)
    .where('status', '=', FAILED)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A job's status, or undefined when there is no such job. */
export async function statusOf(db: Db, id: number): Promise<JobStatus | undefined> {
  const job = await db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirst();
  return job?.status;
}

/** How many jobs are in each status (every status present, zero when none). */
export async function countByStatus(db: Db): Promise<Record<JobStatus, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  const counts: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}
