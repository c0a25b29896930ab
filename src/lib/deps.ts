import type { Db, Trx } from '../db/database.ts';
import type { Actor } from '../modules/auth/auth.actor.ts';
import type { Clock } from './clock.ts';
import type { Log } from './log.ts';
import {
  loadReference,
  type ReferenceCache,
  type ReferenceSnapshot,
} from '../modules/directory/reference-cache.ts';

/** What every service needs from the outside world; passed first, built once at start-up (or per test). */
export interface Deps {
  db: Db;
  clock: Clock;
  /**
   * The process's logger (LOG_LEVEL). Parts log through children that name
   * them and their unit of work: the request id, the job, the message.
   */
  log: Log;
  /** Called after a transaction that queued jobs commits, so a worker picks them up at once. */
  wakeJobs?: () => void;
  /** Shared copy of the reference tables; without one each use case reads them afresh. */
  reference?: ReferenceCache;
  /** Where attachments are stored (the data directory) and the per-file limit (default 10 MiB); without it attachments are refused. */
  files?: { dir: string; maxBytes?: number };
}

/**
 * Departments, priorities, statuses, topics, teams, SLA plans and settings for
 * one use case. Read it BEFORE opening the transaction: on SQLite the one
 * connection is held by the transaction, and a read through deps.db would wait for it.
 */
export const referenceOf = (deps: Deps): Promise<ReferenceSnapshot> =>
  deps.reference ? deps.reference.get() : loadReference(deps.db);

/** A use case's transaction with the reference snapshot read just before it. */
export async function inTransactionWithRef<T>(
  deps: Deps,
  work: (trx: Trx, ref: ReferenceSnapshot) => Promise<T>,
): Promise<T> {
  const ref = await referenceOf(deps);
  return inTransaction(deps, (trx) => work(trx, ref));
}

/**
 * What every step of a use case's transaction shares: the transaction, the
 * reference snapshot read before it, the time the use case happens at, who
 * acts, and the logger of the unit of work (request, job, message).
 */
export interface TxContext<A extends Actor = Actor> {
  trx: Trx;
  ref: ReferenceSnapshot;
  now: number;
  actor: A;
  log: Log;
}

/**
 * A use case's transaction as a TxContext (the time is read once the
 * transaction has begun); `log` is the unit of work's logger when it has one.
 */
export const inUseCase = <T, A extends Actor>(
  deps: Deps,
  actor: A,
  work: (tx: TxContext<A>) => Promise<T>,
  log: Log = deps.log,
): Promise<T> =>
  inTransactionWithRef(deps, (trx, ref) => work({ trx, ref, now: deps.clock.now(), actor, log }));

/** Runs a use case in one transaction and tells the job runner once it has committed. */
export async function inTransaction<T>(deps: Deps, work: (trx: Trx) => Promise<T>): Promise<T> {
  const result = await deps.db.transaction().execute(work);
  deps.wakeJobs?.();
  return result;
}
