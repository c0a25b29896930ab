import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type DbHandle, type Dialect } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgUp = await postgresReachable();
if (!pgUp) {
  if (process.env.CI === 'true')
    throw new Error(`CI=true requires PostgreSQL at ${PG_URL}, and it is not reachable`);
  console.warn(`\n[deskline tests] PostgreSQL not reachable at ${PG_URL}: running the SQLite suite only.\n`);
}

export const dialects: Dialect[] = pgUp ? ['sqlite', 'postgres'] : ['sqlite'];

/** A fresh, migrated database: a temp SQLite file, or a new PostgreSQL schema. */
export async function freshDatabase(dialect: Dialect): Promise<TestHandle> {
  const tag = crypto.randomBytes(6).toString('hex');
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-test-'));
    const handle = openDatabase(`sqlite:${path.join(dir, 'test.db')}`);
    await migrateToLatest(handle.db);
    return {
      ...handle,
      close: async () => {
        await handle.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${tag}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = openDatabase(PG_URL, { schema, poolSize: 8 });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    schema,
    close: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/**
 * Runs the same suite once per dialect, each against its own fresh database.
 * The callback receives a getter because the database exists only after beforeAll.
 */
export type TestHandle = DbHandle & { schema?: string };

export function describeEachDialect(
  name: string,
  suite: (handle: () => TestHandle, dialect: Dialect) => void,
) {
  for (const dialect of dialects) {
    describe(`${name} [${dialect}]`, () => {
      let handle: TestHandle | undefined;
      beforeAll(async () => {
        handle = await freshDatabase(dialect);
      });
      afterAll(async () => {
        await handle?.close();
      });
      suite(() => {
        if (!handle) throw new Error('database not ready');
        return handle;
      }, dialect);
    });
  }
}
