import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { pendingMigrations } from '../db/migrator.ts';
import type { Readiness } from './readiness.ts';

/** /healthz: the process answers. /readyz: the desk has started, the database answers and its schema is current. */
export function registerHealthRoutes(app: FastifyInstance, db: Db, readiness?: Readiness): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const starting = readiness?.starting;
    if (starting !== undefined) return reply.code(503).send({ status: 'starting', starting });
    try {
      await sql`select 1`.execute(db);
    } catch (err) {
      return reply
        .code(503)
        .send({ status: 'unavailable', database: 'unreachable', error: (err as Error).message });
    }
    const pending = await pendingMigrations(db);
    if (pending.length > 0)
      return reply.code(503).send({ status: 'unavailable', database: 'ok', pendingMigrations: pending });
    return { status: 'ready', database: 'ok', pendingMigrations: [] };
  });
}
