import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authenticate } from '../../http/auth.ts';
import { BODY_LIMITS } from '../../http/body.ts';
import type { HttpContext } from '../../http/context.ts';
import { idempotencyClaim, REPLAYED_HEADER } from '../../http/idempotency.ts';
import { unavailableRetryAfter } from '../../db/database.errors.ts';
import { AppError } from '../../lib/errors.ts';
import type { Auth } from '../auth/auth.authenticator.ts';
import { limitIntake } from '../../http/throttles.ts';
import { Email } from '../../contract/email.contract.ts';
import { CompatError } from './compat.errors.ts';
import { COMPAT_FORMATS, createFromCompat, type CompatFormat } from './compat.service.ts';

// osTicket's ticket API, so existing forms, monitoring alerts and the osTicket
// automail scripts keep working with only the host changed: 201 + the plain
// ticket number, plain-text errors with osTicket's statuses, any Content-Type
// (its PHP clients send none, the Perl one text/plain), and transient failures
// as 503 so an MTA retries instead of bouncing the mail. Registered in a scope
// of their own: the JSON body parser and error shape of /api/v1 do not apply.

const TEXT = 'text/plain; charset=utf-8';

/** Every osTicket route starts so; the router's refusals there are plain text too. */
export const COMPAT_PREFIX = '/api/tickets.';

/** The JSON body, for the documentation only (the service reads it leniently, like osTicket). */
const OsTicketJson = z.looseObject({
  email: Email,
  name: z.string(),
  subject: z.string(),
  message: z.string().describe('Plain text, or a data URL such as data:text/html;charset=utf-8,…'),
  alert: z.boolean().optional(),
  autorespond: z.boolean().optional(),
  source: z.enum(['API', 'Email', 'Phone', 'Web', 'Other']).optional(),
  topicId: z.union([z.number(), z.string()]).optional(),
  priority: z.union([z.number(), z.string()]).optional(),
  ip: z.string().optional(),
  phone: z.string().optional(),
  notes: z.string().optional(),
  duedate: z.string().optional(),
  attachments: z.array(z.record(z.string(), z.string())).optional(),
});

/** What the documentation names as the body's media type (any Content-Type is read as these bytes). */
const BODY_MEDIA: Record<CompatFormat, string> = {
  json: 'application/json',
  xml: 'application/xml',
  email: 'message/rfc822',
};

/** osTicket's statuses, as its clients read them (compatAnswer decides which). */
const COMPAT_ERRORS: Record<number, string> = {
  400: 'Malformed: not JSON/XML/a message, an empty message, a bad data URL or attachment, a bad Idempotency-Key',
  401: 'Valid API key required (with the tickets:create scope), or not from this address',
  403: 'Refused: a banned sender, or a routing rule',
  413: 'Request too large',
  422: "Deskline's own: the Idempotency-Key was used with another body",
  429: 'Rate limited; see the Retry-After header',
  500: "Invalid or missing fields (osTicket's status for them)",
  503: 'Temporarily unable to create the ticket; try again (Retry-After)',
};

const DESCRIBED: Record<CompatFormat, string> = {
  json: 'a JSON body (read whatever the Content-Type says)',
  xml: 'a <ticket> XML document',
  email: 'a raw RFC 5322 message, as an MTA pipes it',
};

export function registerCompatRoutes(ctx: HttpContext): void {
  for (const format of COMPAT_FORMATS) {
    ctx.routes.push({
      method: 'POST',
      url: `/api/tickets.${format}`,
      summary: `osTicket-compatible ticket creation from ${DESCRIBED[format]}: 201 and the ticket number as plain text; X-API-Key with the tickets:create scope; errors are plain text with osTicket's statuses (400 malformed, 401 key, 403 banned, 500 invalid fields, 503 try again)`,
      tags: ['osTicket compatibility'],
      access: 'agent',
      scope: 'tickets:create',
      body: format === 'json' ? OsTicketJson : z.string(),
      ...(format === 'json' ? {} : { bodyContentType: BODY_MEDIA[format] }),
      status: 201,
      response: z.string(),
      contentType: 'text/plain',
      plainErrors: true,
      // Every status these routes answer (compatAnswer).
      errors: [400, 401, 403, 413, 422, 429, 500, 503],
      errorText: COMPAT_ERRORS,
    });
  }
  ctx.routes.push({
    method: 'POST',
    url: '/api/tickets.:format',
    summary: 'Any other format: 400, as osTicket answers',
    tags: ['osTicket compatibility'],
    access: 'public',
    params: z.strictObject({ format: z.string().max(100) }),
    refusesAll: true,
    plainErrors: true,
    errors: [400, 413],
    errorText: { 400: 'Any format but json, xml and email', 413: COMPAT_ERRORS[413]! },
  });
  void ctx.app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: FastifyError, req, reply) => answerError(req, reply, err));
    // The key and its rate limit are checked when the request arrives, before up to 25 MB are read.
    const keys = new WeakMap<FastifyRequest, Extract<Auth, { via: 'apikey' }>>();
    const checkKey = async (req: FastifyRequest) => {
      const auth = await authenticate(ctx, req);
      if (auth.via !== 'apikey') throw new CompatError(401, 'Valid API key required');
      if (!auth.scopes.has('tickets:create'))
        throw new CompatError(401, 'API key not authorized to create tickets');
      await limitIntake(ctx, req, auth.keyId);
      keys.set(req, auth);
    };
    for (const format of COMPAT_FORMATS) {
      const opts = { bodyLimit: BODY_LIMITS.files, onRequest: checkKey };
      scope.post(`/api/tickets.${format}`, opts, async (req, reply) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const auth = keys.get(req)!;
        const claim = idempotencyClaim(req, auth, body);
        const { number, replayed } = await createFromCompat(ctx.deps, auth.actor, format, body, claim);
        if (replayed) reply.header(REPLAYED_HEADER, 'true');
        return reply.code(201).type(TEXT).send(number);
      });
    }
    scope.post('/api/tickets.:format', async () => {
      throw new CompatError(400, 'Unsupported format: use tickets.json, tickets.xml or tickets.email');
    });
  });
}

/** 503 with Retry-After: the database's own estimate when it is unavailable, else half a minute (a bug, shutting down). */
const tryAgain = (err: unknown) => ({
  status: 503,
  message: 'Temporarily unable to create the ticket; try again',
  retryAfter: unavailableRetryAfter(err) ?? 30,
});

const retryAfterOf = (err: AppError) => (err.details as { retryAfter?: number } | undefined)?.retryAfter;

/** osTicket's statuses: 400 malformed, 401 key, 403 banned, 413 too large, 500 invalid fields, 503 try again. */
export function compatAnswer(err: unknown): { status: number; message: string; retryAfter?: number } {
  if (err instanceof CompatError) return { status: err.status, message: err.message };
  if (err instanceof AppError) {
    if (err.code === 'database_unavailable') return tryAgain(err);
    // 503s of our own (the desk is starting, or lacks a department) say why; the client retries either way.
    if (err.status === 503)
      return { ...tryAgain(err), message: err.message, retryAfter: retryAfterOf(err) ?? 30 };
    if ([400, 401, 403, 413].includes(err.status)) return { status: err.status, message: err.message };
    if (err.status === 429) return { status: 429, message: err.message, retryAfter: retryAfterOf(err) ?? 60 };
    // Deskline's own header, not osTicket's: the native API's answer.
    if (err.code === 'idempotency_key_reused') return { status: 422, message: err.message };
    if (err.code.startsWith('attachment_') && err.status === 422)
      return { status: 400, message: err.message };
    if (err.code === 'idempotency_key_invalid') return { status: 400, message: err.message };
    if (err.status === 404 || err.status === 409 || err.status === 422)
      return { status: 500, message: err.message };
    return tryAgain(err);
  }
  const statusCode = (err as Partial<FastifyError> | null)?.statusCode;
  if (statusCode === 413) return { status: 413, message: 'Request too large' };
  if (statusCode && statusCode >= 400 && statusCode < 500)
    return { status: 400, message: (err as Error).message };
  // Database busy or gone, shutting down, a bug: the sender should retry, never drop the request.
  return tryAgain(err);
}

function answerError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  const { status, message, retryAfter } = compatAnswer(err);
  // 503: ours to fix or wait out; 500 is osTicket's answer to fields it refuses (the client's to fix).
  if (status === 503) req.log.error({ err }, 'osTicket-compatible intake failed');
  else if (status >= 500) req.log.info({ err }, `osTicket-compatible intake refused: ${message}`);
  if (retryAfter) reply.header('retry-after', String(retryAfter));
  return reply.code(status).type(TEXT).send(message);
}
