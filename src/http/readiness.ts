import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';

/**
 * Whether the desk has finished starting. `deskline start` listens at once
 * (so /healthz answers) but seeds the demo desk before it takes any work:
 * until then /readyz answers 503 and every other request 503 `not_ready`,
 * never a 404 for a department the seed is still writing.
 */
export class Readiness {
  private pending: string | undefined;

  /** What the desk is still doing, in plain words; undefined once it is ready. */
  get starting(): string | undefined {
    return this.pending;
  }

  begin(what: string): void {
    this.pending = what;
  }

  done(): void {
    this.pending = undefined;
  }
}

const ALWAYS_ANSWERED = new Set(['/healthz', '/readyz']);

/** Answers 503 `not_ready` (with Retry-After) to everything but the health checks while the desk starts. */
export function holdUntilReady(app: FastifyInstance, readiness: Readiness): void {
  app.addHook('onRequest', async (req, reply) => {
    const starting = readiness.starting;
    if (starting === undefined || ALWAYS_ANSWERED.has(req.url.split('?')[0]!)) return;
    reply.header('retry-after', '2');
    throw new AppError('not_ready', 503, `Deskline is starting (${starting}); try again in a moment`);
  });
}
