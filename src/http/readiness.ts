import type { FastifyInstance } from 'fastify';
import { databaseUnavailable } from '../db/database.errors.ts';
import { AppError } from '../lib/errors.ts';

/**
 * Whether the desk has finished starting. `deskline serve` listens at once
 * (so /healthz answers), then waits for its database (migrations, with
 * back-off) and, for `deskline start`, seeds the demo desk before it takes
 * any work: until then /readyz answers 503 and every other request 503 —
 * `database_unavailable` while the database is not there yet, `not_ready`
 * after — never a 404 for a department the seed is still writing.
 */
export class Readiness {
  private pending: string | undefined;
  private waitingForDatabase = false;

  /** What the desk is still doing, in plain words; undefined once it is ready. */
  get starting(): string | undefined {
    return this.pending;
  }

  /** `phase` 'database': the database is not reachable or migrated yet. */
  begin(what: string, phase: 'database' | 'desk' = 'desk'): void {
    this.pending = what;
    this.waitingForDatabase = phase === 'database';
  }

  done(): void {
    this.pending = undefined;
    this.waitingForDatabase = false;
  }

  /** The answer to a request that arrives before the desk is ready. */
  refusal(): AppError {
    if (this.waitingForDatabase)
      return databaseUnavailable(new Error('waiting for the database at start-up'));
    return new AppError('not_ready', 503, `Deskline is starting (${this.pending}); try again in a moment`, {
      retryAfter: 2,
    });
  }
}

const ALWAYS_ANSWERED = new Set(['/healthz', '/readyz']);

/** Answers 503 (with Retry-After) to everything but the health checks while the desk starts. */
export function holdUntilReady(app: FastifyInstance, readiness: Readiness): void {
  app.addHook('onRequest', (req, _reply, done) => {
    const starting = readiness.starting;
    if (starting === undefined || ALWAYS_ANSWERED.has(req.url.split('?')[0]!)) return done();
    done(readiness.refusal());
  });
}
