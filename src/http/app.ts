import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Deps } from '../lib/deps.ts';
import { Authenticator } from '../modules/auth/auth.authenticator.ts';
import { BODY_LIMITS, registerJsonBody } from './body.ts';
import type { HttpContext } from './context.ts';
import { registerDrain } from './drain.ts';
import { frameworkErrors, MAX_PARAM_LENGTH, registerErrorHandling } from './errors.ts';
import { COMPAT_PREFIX } from '../modules/compat/compat.routes.ts';
import { registerHealthRoutes } from './health.routes.ts';
import { RateLimiter } from '../lib/rate-limit.ts';
import { holdUntilReady, type Readiness } from './readiness.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerApiRoutes } from './api.routes.ts';
import { registerWebRoutes } from './web.routes.ts';

export type HttpConfig = Pick<Config, 'publicUrl'>;

const SERVED = new WeakMap<FastifyInstance, string[]>();

/** "METHOD /url" of every route the app answers (HEAD twins left out): the OpenAPI test compares against it. */
export const servedRoutes = (app: FastifyInstance): readonly string[] => SERVED.get(app) ?? [];

/** `readiness`: while the desk is still starting (its database, the demo seed), only the health checks answer. */
export async function buildHttpApp(
  deps: Deps,
  config: HttpConfig,
  readiness?: Readiness,
): Promise<FastifyInstance> {
  // The desk's one logger: each request logs through a child carrying its request id.
  const logger: FastifyBaseLogger = deps.log;
  const app = Fastify({
    loggerInstance: logger,
    // Routes declare more where they need it (body.ts); anything else reads little.
    bodyLimit: BODY_LIMITS.small,
    // Shutdown: idle kept-alive connections close at once; registerDrain answers
    // new requests with our own 503 instead of Fastify's.
    forceCloseConnections: 'idle',
    return503OnClosing: false,
    // Path parameters are bounded by their schemas (422); the router's own refusals keep our shape.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrors([COMPAT_PREFIX]),
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
  registerDrain(app);
  if (readiness) holdUntilReady(app, readiness);
  registerHealthRoutes(app, deps.db, readiness);
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
