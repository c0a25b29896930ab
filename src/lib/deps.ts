import type { Db } from '../db/database.ts';
import type { Clock } from './clock.ts';

/** What every service needs from the outside world; passed first, built once at start-up (or per test). */
export interface Deps {
  db: Db;
  clock: Clock;
  /** Called after a transaction that queued jobs commits, so a worker picks them up at once. */
  wakeJobs?: () => void;
}

/** Runs a use case in one transaction and tells the job runner once it has committed. */
export async function inTransaction<T>(deps: Deps, work: (trx: Db) => Promise<T>): Promise<T> {
  const result = await deps.db.transaction().execute(work);
  deps.wakeJobs?.();
  return result;
}
