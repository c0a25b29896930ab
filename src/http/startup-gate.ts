import type { FastifyInstance } from 'fastify';
import { databaseUnavailable } from '../db/database.errors.ts';

/**
 * While the server waits for its database at start-up (server.ts), the API
 * answers 503 database_unavailable with Retry-After instead of running
 * queries against a schema that may not exist yet. /healthz and /readyz
 * answer as usual (readiness is 503 meanwhile), and so does the web app's shell.
 */
export function registerStartupGate(app: FastifyInstance, databaseReady: () => boolean): void {
  app.addHook('onRequest', async (req) => {
    if (!databaseReady() && req.url.startsWith('/api/'))
      throw databaseUnavailable(new Error('waiting for the database at start-up'));
  });
}
