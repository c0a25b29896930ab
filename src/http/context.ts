import type { FastifyInstance } from 'fastify';
import type { Deps } from '../lib/deps.ts';
import type { Authenticator } from '../modules/auth/auth.authenticator.ts';
import type { RateLimiter } from '../lib/rate-limit.ts';
import type { RouteSpec } from './route.ts';

/** What every route module receives: the app to register on and the shared parts of the edge. */
export interface HttpContext {
  app: FastifyInstance;
  deps: Deps;
  auth: Authenticator;
  limiter: RateLimiter;
  /** Every documented route, in registration order: the OpenAPI document is built from it. */
  routes: RouteSpec[];
  publicUrl: string;
}
