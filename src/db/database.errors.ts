import { AppError } from '../lib/errors.ts';

/**
 * The one place that decides whether a database error means "the database is
 * unavailable right now, try again" (the connection dropped, a timeout, the
 * server shutting down, the disk full or read-only, a lock or a conflict)
 * rather than a bug or bad data. Every channel answers it as "try again":
 * HTTP 503 with Retry-After, osTicket's intake 503, SMTP 451, `mail pipe` 75.
 */

/** Seconds to suggest in Retry-After, by the kind of trouble. */
const RETRY_CONFLICT = 1; // a lock wait, a deadlock, a serialization failure: the next try usually wins
const RETRY_OUTAGE = 5; // a dropped connection, a restart, a timeout
const RETRY_STORAGE = 30; // disk full, read-only, I/O errors: someone has to act

// PostgreSQL SQLSTATE classes and codes (appendix A of its manual).
const PG_CONFLICT = new Set(['40001', '40P01', '55P03']); // serialization, deadlock, lock_not_available (lock_timeout)
const PG_OUTAGE = new Set([
  '57014', // query_canceled (statement_timeout, pg_cancel_backend)
  '57P01', // admin_shutdown (pg_terminate_backend, a fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, in recovery)
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
  '53300', // too_many_connections
]);
const PG_OUTAGE_CLASSES = ['08', '53', '58']; // connection exceptions, insufficient resources, system errors

const NODE_OUTAGE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

// node-postgres and pg-pool report a lost or refused connection in words only.
const PG_CLIENT_MESSAGES = [
  'timeout exceeded when trying to connect',
  'connection terminated',
  'connection error and is not queryable',
  'query read timeout',
  'client was closed and is not queryable',
  'cannot use a pool after calling end',
  'driver has already been destroyed',
];

/** The Retry-After (seconds) for an error that means the database is unavailable, else undefined. */
export function unavailableRetryAfter(err: unknown): number | undefined {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    const found = classify(e);
    if (found !== undefined) return found;
    if (e instanceof AggregateError) {
      const inner = e.errors.map(unavailableRetryAfter).find((r) => r !== undefined);
      if (inner !== undefined) return inner;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isDatabaseUnavailable = (err: unknown): boolean => unavailableRetryAfter(err) !== undefined;

function classify(e: unknown): number | undefined {
  if (e instanceof AppError) return e.code === 'database_unavailable' ? retryAfterOf(e) : undefined;
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (PG_CONFLICT.has(code)) return RETRY_CONFLICT;
    if (PG_OUTAGE.has(code) || (code.length === 5 && PG_OUTAGE_CLASSES.includes(code.slice(0, 2))))
      return RETRY_OUTAGE;
    if (NODE_OUTAGE.has(code)) return RETRY_OUTAGE;
    const sqlite = sqliteRetryAfter(code);
    if (sqlite !== undefined) return sqlite;
  }
  const message = (e as { message?: unknown }).message;
  if (typeof message === 'string') {
    const lower = message.toLowerCase();
    if (PG_CLIENT_MESSAGES.some((m) => lower.includes(m))) return RETRY_OUTAGE;
    // better-sqlite3 after the handle closed (shutting down).
    if (lower === 'the database connection is not open') return RETRY_OUTAGE;
  }
  return undefined;
}

function sqliteRetryAfter(code: string): number | undefined {
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code.startsWith('SQLITE_LOCKED'))
    return RETRY_CONFLICT;
  if (
    code === 'SQLITE_FULL' ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'SQLITE_ABORT_ROLLBACK'
  )
    return RETRY_STORAGE;
  return undefined;
}

const retryAfterOf = (e: AppError) =>
  (e.details as { retryAfter?: number } | undefined)?.retryAfter ?? RETRY_OUTAGE;

/** The error every channel shows for an unavailable database; the original stays as its cause for the log. */
export function databaseUnavailable(cause: unknown, retryAfter = RETRY_OUTAGE): AppError {
  const err = new AppError(
    'database_unavailable',
    503,
    'The database is unavailable at the moment; try again shortly',
    { retryAfter },
  );
  (err as { cause?: unknown }).cause = cause;
  return err;
}

/** `err` as the 503 AppError when it means the database is unavailable; otherwise `err` itself. */
export function asUnavailable(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const retryAfter = unavailableRetryAfter(err);
  return retryAfter === undefined ? err : databaseUnavailable(err, retryAfter);
}
