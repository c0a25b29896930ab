import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';

/** The one error shape: {"error": {"code", "message", "details"?}}. Routes never build it by hand. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send({
        error: {
          code: err.code,
          message: err.message,
          ...(err.details !== undefined ? { details: err.details } : {}),
        },
      });
    }
    if (err.validation) {
      return reply
        .code(422)
        .send({ error: { code: 'validation_failed', message: err.message, details: err.validation } });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'unhandled error');
    const code =
      status === 500 ? 'internal_error' : (err.code?.toLowerCase().replace(/^fst_err_/, '') ?? 'bad_request');
    return reply
      .code(status)
      .send({ error: { code, message: status === 500 ? 'Something went wrong on our side' : err.message } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .send({ error: { code: 'route_not_found', message: `No route for ${req.method} ${req.url}` } });
  });
}
