import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Deps } from '../lib/deps.ts';
import { Authenticator } from '../modules/auth/auth.resolve.ts';
import { BODY_LIMITS, registerJsonBody } from './body.ts';
import type { HttpContext } from './context.ts';
import { registerErrorHandling } from './errors.ts';
import { registerHealthRoutes } from './health.routes.ts';
import { RateLimiter } from './rate-limit.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerApiRoutes } from './api.routes.ts';
import { registerWebRoutes } from './web.routes.ts';

export type HttpConfig = Pick<Config, 'logLevel' | 'publicUrl'>;

const SERVED = new WeakMap<FastifyInstance, string[]>();

/** "METHOD /url" of every route the app answers (HEAD twins left out): the OpenAPI test compares against it. */
export const servedRoutes = (app: FastifyInstance): readonly string[] => SERVED.get(app) ?? [];

export async function buildHttpApp(deps: Deps, config: HttpConfig): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    // Routes declare more where they need it (body.ts); anything else reads little.
    bodyLimit: BODY_LIMITS.small,
    // Behind a proxy set trustProxy through the environment in a later issue; here req.ip is the peer.
  });
  const served: string[] = [];
  SERVED.set(app, served);
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') served.push(`${m} ${r.url}`);
  });
  // Node answers 417 to any Expect header other than 100-continue; some HTTP
  // clients send an empty one. Treat an expectation we do not know as none.
  app.server.on('checkExpectation', (req, res) => app.server.emit('request', req, res));
  await app.register(cookie);
  registerJsonBody(app);
  registerSecurityHeaders(app);
  registerErrorHandling(app);
  registerHealthRoutes(app, deps.db);
  const ctx: HttpContext = {
    app,
    deps,
    auth: new Authenticator(deps),
    limiter: new RateLimiter(() => deps.clock.now()),
    routes: [],
    publicUrl: config.publicUrl,
  };
  await registerApiRoutes(ctx);
  await registerWebRoutes(app);
  return app;
}
