import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';

// Shutdown, HTTP side. From the moment the process is told to stop, a request
// that arrives (also on a kept-alive connection) is refused with 503 before
// anything runs, so no work is accepted that the shutdown might cut short;
// requests already running finish (server.ts bounds the wait).

const DRAINING = new WeakSet<FastifyInstance>();

/** Seconds a client is told to wait: another instance, or this one restarted, answers by then. */
const RETRY_AFTER_SECONDS = 5;

export function registerDrain(app: FastifyInstance): void {
  // Callback hooks, not async ones: they run on every request, and skip a promise each time.
  app.addHook('onRequest', (_req, reply, done) => {
    if (!DRAINING.has(app)) return done();
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    done(new AppError('shutting_down', 503, 'The server is shutting down; try again in a moment'));
  });
  // Answers given while draining end their connection, so clients do not send the next request on it.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (DRAINING.has(app)) reply.header('connection', 'close');
    done(null, payload);
  });
}

/** Refuse every request from now on; call before app.close(). */
export function startDraining(app: FastifyInstance): void {
  DRAINING.add(app);
}
