import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Log } from '../lib/log.ts';
import type { Database } from './schema.ts';
import { groupCommitSqliteDialect } from './sqlite-group-commit.ts';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type Dialect = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  /** Where the SQLite file lives (undefined on PostgreSQL). */
  file?: string;
  close(): Promise<void>;
}

// bigint (ids, epoch ms, counts) and numeric (averages) arrive as strings from
// pg by default; every value Deskline stores fits a double exactly.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * How long the database may keep a caller waiting (milliseconds; 0 = no limit).
 * Without limits, an unreachable database holds every request (and /readyz)
 * for the whole outage, and an abandoned request commits whenever it gets through.
 */
export interface DatabaseTimeouts {
  /** PostgreSQL: opening a connection, or waiting for a free one in the pool. */
  connectMs: number;
  /** PostgreSQL: one statement (statement_timeout; idle_in_transaction_session_timeout gets the same). */
  statementMs: number;
  /** PostgreSQL: waiting for a lock (lock_timeout). SQLite always waits 5 s (busy_timeout). */
  lockMs: number;
}

/** What `deskline serve` and `mail pipe` use unless the settings say otherwise (config.ts). */
export const SERVING_TIMEOUTS: DatabaseTimeouts = { connectMs: 5_000, statementMs: 30_000, lockMs: 10_000 };

/** Maintenance (migrations, seeding, rebuilds, the CLI) may run long statements and wait longer for locks. */
export const MAINTENANCE_TIMEOUTS: DatabaseTimeouts = { connectMs: 5_000, statementMs: 0, lockMs: 60_000 };

export interface OpenOptions {
  /** PostgreSQL only: run every connection in this schema (tests get a fresh one per file). */
  schema?: string;
  poolSize?: number;
  /** Default: MAINTENANCE_TIMEOUTS (no statement limit). */
  timeouts?: DatabaseTimeouts;
  /** Where PostgreSQL connections lost while idle are reported (at most a line per 10 s); without it, nowhere. */
  log?: Log;
}

export function openDatabase(url: string, options: OpenOptions = {}): DbHandle {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, options);
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url}")`);
}

function openPostgres(url: string, options: OpenOptions): DbHandle {
  const t = options.timeouts ?? MAINTENANCE_TIMEOUTS;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    // Shown in pg_stat_activity; an application_name in DATABASE_URL wins.
    fallback_application_name: 'deskline',
    connectionTimeoutMillis: t.connectMs,
    keepAlive: true,
    statement_timeout: t.statementMs,
    idle_in_transaction_session_timeout: t.statementMs,
    lock_timeout: t.lockMs,
    // The server enforces statement_timeout; this client-side limit catches a
    // server that does not answer at all (stopped, network gone).
    ...(t.statementMs > 0 ? { query_timeout: t.statementMs + t.connectMs } : {}),
  });
  const report = throttledWarning(options.log);
  // A pooled connection dropped by the server (restart, pg_terminate_backend,
  // a network reset) emits 'error'; unheard, Node ends the process. The pool
  // discards the connection and opens a new one when next needed.
  pool.on('error', report);
  pool.on('connect', (client) => {
    // While a client is checked out, pg-pool stops listening to it.
    client.on('error', report);
    discardAfterReadTimeout(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * After a client-side query timeout the connection may still carry the
 * unanswered query, and pg-pool would hand it out again: end it, so the pool
 * drops it on release and the next caller gets a fresh connection.
 */
function discardAfterReadTimeout(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const result = query(...args);
    if (!(result instanceof Promise)) return result;
    return result.catch((err: unknown) => {
      if (err instanceof Error && err.message === 'Query read timeout')
        // Ending a connection that already failed: if that fails too, the pool drops it all the same.
        void client.end().catch(() => undefined);
      throw err;
    });
  }) as typeof client.query;
}

/** One line per 10 s at most: a database restart drops every pooled connection at once. */
function throttledWarning(log: Log | undefined, everyMs = 10_000): (err: Error) => void {
  let last = -Infinity;
  let muted = 0;
  return (err) => {
    const now = Date.now();
    if (!log || now - last < everyMs) {
      muted++;
      return;
    }
    const more = muted > 0 ? ` (and ${muted} more since the last report)` : '';
    log.warn({ err }, `a connection was lost: ${err.message}${more}; reconnecting when needed`);
    last = now;
    muted = 0;
  };
}

function openSqlite(file: string): DbHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new Sqlite(file);
  raw.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  // Another process (the CLI) holding the write lock: wait this long, then SQLITE_BUSY (503).
  // Not the lock timeout setting: better-sqlite3 waits synchronously, and the
  // whole process (health checks included) stands still meanwhile.
  raw.pragma('busy_timeout = 5000');
  raw.pragma('cache_size = -65536');
  raw.pragma('temp_store = MEMORY');
  // Checkpoint every ~40 MB of WAL instead of ~4 MB: each checkpoint syncs, and under load they dominated commits.
  raw.pragma('wal_autocheckpoint = 10000');
  const db = new Kysely<Database>({ dialect: groupCommitSqliteDialect(raw, cachingStatements(raw)) });
  return { db, dialect: 'sqlite', file, close: () => db.destroy() };
}

/**
 * Kysely prepares every query anew; preparing costs more than running most of
 * ours. Statements are reusable in better-sqlite3, so keep the recent ones.
 */
function cachingStatements(raw: Sqlite.Database, limit = 500) {
  const cache = new Map<string, Sqlite.Statement>();
  return (sqlText: string): Sqlite.Statement => {
    let stmt = cache.get(sqlText);
    if (stmt) {
      cache.delete(sqlText);
    } else {
      stmt = raw.prepare(sqlText);
      if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sqlText, stmt);
    return stmt;
  };
}
