import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
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

export interface OpenOptions {
  /** PostgreSQL only: run every connection in this schema (tests get a fresh one per file). */
  schema?: string;
  poolSize?: number;
}

export function openDatabase(url: string, options: OpenOptions = {}): DbHandle {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, options);
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url}")`);
}

function openPostgres(url: string, options: OpenOptions): DbHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

function openSqlite(file: string): DbHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new Sqlite(file);
  raw.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
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
