import type { FastifyInstance } from 'fastify';
import { databaseUnavailable } from '../db/database.errors.ts';

/**
 * While the server waits for its database at start-up (server.ts), the API
 * answers 503 database_unavailable with Retry-After instead of running
 * queries against a schema that may not be current yet, and /readyz answers
 * 503 "starting". /healthz and the web app's shell answer as usual.
 */
export function registerStartupGate(app: FastifyInstance, databaseReady: () => boolean): void {
  app.addHook('onRequest', async (req, reply) => {
    if (databaseReady()) return;
    if (req.url === '/readyz' || req.url.startsWith('/readyz?'))
      return reply.code(503).send({ status: 'unavailable', database: 'starting' });
    if (req.url.startsWith('/api/'))
      throw databaseUnavailable(new Error('waiting for the database at start-up'));
  });
}
