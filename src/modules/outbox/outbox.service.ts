import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from '../../db/database.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { insertJobs, resetFailed, statusOf } from './outbox.repository.ts';
import type { NewJob } from './outbox.registry.ts';

// What other modules call: enqueue (typed by the registry) in their
// transaction, and the admin's retry of a failed job.

const leftOut = new AsyncLocalStorage<(type: string) => boolean>();

/**
 * Runs `work` with the jobs `drop` names left out of every enqueue it causes,
 * however deep in the services. The demo seed replays weeks of history through
 * the real use cases: the mail that history would have caused is history too,
 * and must never reach the customers of a fresh desk.
 */
export function withoutJobs<T>(drop: (type: string) => boolean, work: () => Promise<T>): Promise<T> {
  return leftOut.run(drop, work);
}

/**
 * Adds jobs inside the caller's transaction, so they become visible to workers
 * only when the state change that caused them commits. Each job is a
 * registered type with that type's payload (outbox.registry.ts).
 */
export async function enqueue(trx: Db, now: number, jobs: readonly NewJob[]): Promise<void> {
  const drop = leftOut.getStore();
  await insertJobs(trx, now, drop ? jobs.filter((j) => !drop(j.type)) : jobs);
}

/** Queues a failed job again with a fresh set of attempts; only failed jobs can be retried. */
export async function retryFailed(db: Db, id: number, now: number): Promise<void> {
  if (await resetFailed(db, id, now)) return;
  const status = await statusOf(db, id);
  if (!status) throw notFound('job');
  throw new AppError('job_not_failed', 409, `Only failed jobs can be retried (this one is ${status})`);
}
