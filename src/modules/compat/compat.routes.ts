import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authenticate } from '../../http/auth.ts';
import type { HttpContext } from '../../http/context.ts';
import { idempotencyClaim, REPLAYED_HEADER } from '../../http/idempotency.ts';
import { AppError } from '../../lib/errors.ts';
import { limitIntake } from '../auth/auth.routes.ts';
import { createTicketOnce } from '../tickets/tickets.intake.service.ts';
import type { CreateTicketInput } from '../tickets/tickets.schemas.ts';
import { parseEmailTicket } from './compat.email.ts';
import { CompatError } from './compat.errors.ts';
import { parseJsonTicket, parseXmlTicket } from './compat.parse.ts';

// osTicket's ticket API, so existing forms, monitoring alerts and the
// osTicket automail scripts keep working with only the host changed:
// 201 + the plain ticket number, plain-text errors with osTicket's statuses,
// any Content-Type (its PHP clients send none, the Perl one text/plain), and
// transient failures as 503 so an MTA retries instead of bouncing the mail.

const FORMATS: Record<string, (body: Buffer) => CreateTicketInput | Promise<CreateTicketInput>> = {
  json: parseJsonTicket,
  xml: parseXmlTicket,
  email: parseEmailTicket,
};

export function registerCompatRoutes(ctx: HttpContext): void {
  for (const format of Object.keys(FORMATS)) {
    ctx.routes.push({
      method: 'POST',
      url: `/api/tickets.${format}`,
      summary: `osTicket-compatible ticket creation (${format === 'email' ? 'a raw RFC 5322 message' : `${format.toUpperCase()} body`}); answers 201 and the ticket number as plain text`,
      tags: ['osTicket compatibility'],
      access: 'agent',
      scope: 'tickets:create',
      status: 201,
      response: z.string(),
      errors: [400, 413, 429, 500, 503],
    });
  }
  void ctx.app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: FastifyError, req, reply) => answerError(req, reply, err));
    for (const [format, parse] of Object.entries(FORMATS)) {
      scope.post(`/api/tickets.${format}`, async (req, reply) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const auth = await authenticate(ctx, req);
        if (auth.via !== 'apikey') throw new CompatError(401, 'Valid API key required');
        if (!auth.scopes.has('tickets:create'))
          throw new CompatError(401, 'API key not authorized to create tickets');
        await limitIntake(ctx, req, auth.keyId);
        const input = await parse(body);
        const claim = idempotencyClaim(req, auth, body);
        const { ticket, replayed } = await createTicketOnce(ctx.deps, auth.actor, input, claim);
        if (replayed) reply.header(REPLAYED_HEADER, 'true');
        return reply.code(201).type('text/plain; charset=utf-8').send(ticket.number);
      });
    }
  });
}

/** osTicket's statuses: 400 malformed, 401 key, 403 banned, 413 too large, 500 invalid fields, 503 try again. */
function compatStatus(err: unknown): { status: number; message: string; retryAfter?: number } {
  if (err instanceof CompatError) return { status: err.status, message: err.message };
  if (err instanceof AppError) {
    if (err.status === 401 || err.status === 403) return { status: err.status, message: err.message };
    if (err.status === 429) {
      const retryAfter = (err.details as { retryAfter?: number } | undefined)?.retryAfter ?? 60;
      return { status: 429, message: err.message, retryAfter };
    }
    if (err.code.startsWith('attachment_') || err.code === 'idempotency_key_invalid')
      return { status: 400, message: err.message };
    if (err.status === 404 || err.status === 422) return { status: 500, message: err.message };
    return { status: 503, message: 'Temporarily unable to create the ticket; try again' };
  }
  const statusCode = (err as FastifyError).statusCode;
  if (statusCode === 413) return { status: 413, message: 'Request too large' };
  if (statusCode && statusCode >= 400 && statusCode < 500)
    return { status: 400, message: (err as Error).message };
  return { status: 503, message: 'Temporarily unable to create the ticket; try again' };
}

function answerError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  const { status, message, retryAfter } = compatStatus(err);
  if (status === 503) req.log.error({ err }, 'osTicket-compatible intake failed');
  if (retryAfter) reply.header('retry-after', String(retryAfter));
  return reply.code(status).type('text/plain; charset=utf-8').send(message);
}
