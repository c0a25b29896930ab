import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asUnavailable } from '../db/database.errors.ts';
import { AppError } from '../lib/errors.ts';

// Fastify's own failures (body parsing, limits) under stable, documented codes.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
};

/**
 * The one error shape: {"error": {"code", "message", "details"?}}. Routes never
 * build it by hand. Every 5xx is logged with its cause (on the request's
 * logger, so with its request id): a 503 the desk's state explains (the
 * database away, starting, stopping, not configured) as a warning, anything
 * else as an error.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError | AppError, req, reply) => {
    // A dropped connection, a timeout, a full disk: 503 database_unavailable, never 500.
    const err = asUnavailable(raw) as FastifyError | AppError;
    if (err instanceof AppError) {
      const retryAfter = (err.details as { retryAfter?: number } | undefined)?.retryAfter;
      if ((err.status === 429 || err.status === 503) && retryAfter)
        reply.header('retry-after', String(retryAfter));
      if (err.code === 'database_unavailable') req.log.warn({ err: raw }, 'database unavailable');
      else if (err.status >= 500) req.log.warn({ err }, `answered ${err.status} ${err.code}`);
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
    if (err instanceof SyntaxError && !err.statusCode) {
      return reply.code(400).send({ error: { code: 'invalid_json', message: err.message } });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'unhandled error');
    const code =
      status === 500
        ? 'internal_error'
        : (FASTIFY_CODES[err.code] ?? err.code?.toLowerCase().replace(/^fst_err_/, '') ?? 'bad_request');
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

/**
 * Longest path parameter the router takes. Every documented parameter is far
 * shorter (its schema's maxLength answers 422 after the caller is known);
 * this is the router's own bound, answered in the same shape.
 */
export const MAX_PARAM_LENGTH = 2048;

/**
 * Fastify's router refuses a URL before any route runs: a path parameter that
 * is not valid percent-encoding (`bad_url`, 400) or longer than
 * MAX_PARAM_LENGTH (`validation_failed`, 422). Answered in the one error
 * shape (Fastify's own is another), or as plain text under the given URL
 * prefixes (the osTicket routes, whose clients read plain text).
 */
export function frameworkErrors(plainTextPrefixes: readonly string[]) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
    const status = tooLong ? 422 : 400;
    const code = tooLong ? 'validation_failed' : 'bad_url';
    const message = tooLong
      ? `A path parameter is longer than ${MAX_PARAM_LENGTH} characters`
      : 'The URL is not valid percent-encoding';
    if (plainTextPrefixes.some((p) => req.url.startsWith(p)))
      return reply.code(400).type('text/plain; charset=utf-8').send(message);
    return reply.code(status).send({ error: { code, message } });
  };
}
