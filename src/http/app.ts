import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Deps } from '../lib/deps.ts';
import { registerErrorHandling } from './errors.ts';
import { registerHealthRoutes } from './health.routes.ts';

export function buildHttpApp(deps: Deps, config: Pick<Config, 'logLevel'>): FastifyInstance {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    bodyLimit: 10 * 1024 * 1024,
  });
  registerErrorHandling(app);
  registerHealthRoutes(app, deps.db);
  return app;
}
