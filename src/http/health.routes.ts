import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { WriteProbe, withDeadline } from '../db/database.probe.ts';
import { pendingMigrations } from '../db/migrator.ts';
import type { Readiness } from './readiness.ts';

/** /healthz: the process answers. /readyz: the desk has started, the database accepts a write and its schema is current. */
export function registerHealthRoutes(app: FastifyInstance, db: Db, readiness?: Readiness): void {
  const checkDatabase = databaseCheck(db);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (req, reply) => {
    const starting = readiness?.starting;
    if (starting !== undefined) {
      req.log.info({ starting }, 'not ready: starting');
      return reply.code(503).send({ status: 'starting', starting });
    }
    const problem = await checkDatabase();
    if (problem) {
      req.log.warn(problem, 'not ready: the database does not take a write');
      return reply.code(503).send({ status: 'unavailable', ...problem });
    }
    return { status: 'ready', database: 'ok', pendingMigrations: [] };
  });
}

const DEADLINE_MS = 2_000;

/**
 * The database's part of readiness, answered within two seconds: undefined
 * when ready, else what is wrong. A committed write, not a SELECT: reads go on
 * working on a full disk or a read-only file system while every change fails.
 */
function databaseCheck(db: Db): () => Promise<Record<string, unknown> | undefined> {
  const writes = new WriteProbe(db, { deadlineMs: DEADLINE_MS, reuseMs: 1_000 });
  let current = false; // once this build's migrations are applied, they stay applied
  const check = async (): Promise<Record<string, unknown> | undefined> => {
    if (!current) {
      const pending = await pendingMigrations(db);
      if (pending.length > 0) return { database: 'ok', pendingMigrations: pending };
      current = true;
    }
    const probe = await writes.check();
    return probe.ok ? undefined : { database: 'unavailable', error: probe.error };
  };
  return () =>
    withDeadline(
      check().catch((err: unknown) => ({
        database: 'unreachable',
        error: err instanceof Error ? err.message : String(err),
      })),
      DEADLINE_MS,
      { database: 'unreachable', error: `no answer within ${DEADLINE_MS / 1000} s` },
    );
}
