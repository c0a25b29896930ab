import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { cleanDeep } from '../lib/text-input.ts';
import { parseInput } from '../lib/validate.ts';
import type { Actor } from '../modules/auth/auth.actor.ts';
import type { ApiScope } from '../modules/auth/apikeys.service.ts';
import type { Auth } from '../modules/auth/auth.authenticator.ts';
import { authenticate, authorize, checkCsrf, type Access } from './auth.ts';
import { BODY_LIMITS } from './body.ts';
import type { HttpContext } from './context.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** One documented route: the edge parses with these schemas and OpenAPI is generated from them. */
export interface RouteSpec<P = Schema | undefined, Q = Schema | undefined, B = Schema | undefined> {
  method: Method;
  url: string;
  summary: string;
  tags: string[];
  access: Access;
  /** Scope an API key needs (admin routes always need `admin`). */
  scope?: ApiScope;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The success body: documented from it, and checked against it outside
   * production (a mismatch is a 500 `response_invalid`, see answerChecker).
   */
  response?: Schema;
  /** Media type of the success body when not JSON (osTicket: text/plain; raw mail: message/rfc822; downloads: whatever was stored). */
  contentType?: string;
  /** Other media types the success body may take, e.g. text/csv for a report asked with format=csv. */
  alsoAs?: Record<string, Schema>;
  /** Errors are plain text (the osTicket routes); otherwise the JSON error shape. */
  plainErrors?: boolean;
  /** Media type of the request body when not JSON (the osTicket routes read XML and raw mail). */
  bodyContentType?: string;
  /** The route only ever refuses (osTicket's answer to an unknown format): no success is documented. */
  refusesAll?: boolean;
  /** Success status; 204 sends no body. */
  status?: number;
  /** Statuses the handler answers besides those the spec implies (see `errorStatuses` in openapi.ts). */
  errors?: number[];
  /** What an error status means here, when the common wording does not fit. */
  errorText?: Record<number, string>;
  /** Bytes of body the route reads (BODY_LIMITS.small unless set); more is 413 `payload_too_large`. */
  bodyLimit?: number;
  /** A rate limit counted when the request arrives, before its body is read (anonymous routes). */
  throttle?: (req: FastifyRequest) => Promise<void>;
}

export interface RouteCall<P, Q, B, A extends Actor | null> {
  req: FastifyRequest;
  reply: FastifyReply;
  auth: Auth;
  actor: A;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

type ActorFor<Acc extends Access> = Acc extends 'public' ? Actor | null : Actor;

/**
 * Registers a route: authenticate, check access, scope and CSRF, parse
 * params/query/body with zod (422 `validation_failed` listing every problem),
 * call the handler, send what it returns with the spec's status.
 */
export function route<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  Acc extends Access = Access,
>(
  ctx: HttpContext,
  spec: RouteSpec<P, Q, B> & { access: Acc },
  handler: (call: RouteCall<P, Q, B, ActorFor<Acc>>) => Promise<unknown>,
): void {
  ctx.routes.push(spec as RouteSpec);
  const status = spec.status ?? 200;
  const checkAnswer = answerChecker(spec);
  const throttle = spec.throttle;
  ctx.app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.bodyLimit ?? BODY_LIMITS.small,
    ...(throttle ? { onRequest: async (req: FastifyRequest) => throttle(req) } : {}),
    handler: async (req, reply) => {
      const auth = await authenticate(ctx, req);
      const actor = authorize(auth, spec.access, spec.scope) as ActorFor<Acc>;
      checkCsrf(req, auth);
      const call: RouteCall<P, Q, B, ActorFor<Acc>> = {
        req,
        reply,
        auth,
        actor,
        // Bodies are cleaned by the JSON parser (body.ts); the URL's text here.
        params: (spec.params ? parseInput(spec.params, cleanDeep(req.params)) : undefined) as Out<P>,
        query: (spec.query ? parseInput(spec.query, cleanDeep(req.query)) : undefined) as Out<Q>,
        body: (spec.body ? parseInput(spec.body, req.body ?? {}) : undefined) as Out<B>,
      };
      const result = await handler(call);
      // A handler may have answered itself. `reply.sent` is true only once an answer has
      // ended, not for a download the client abandoned half-way: started is answered.
      if (reply.sent || reply.raw.headersSent) return reply;
      if (status === 204) return reply.code(204).send();
      return reply.code(status).send(checkAnswer ? checkAnswer(req, result) : result);
    },
  });
}

/**
 * In tests and development (NODE_ENV `test`, which vitest sets, or
 * `development`) every JSON success answer is parsed with the route's response
 * schema, so an answer that drifts from the contract fails loudly: 500
 * `response_invalid`, logged with zod's issues. Anywhere else (production, or
 * NODE_ENV unset as most operators run it) nothing is checked: a desk never
 * pays for it, nor turns a drift the tests missed into a 500. The answer sent is the handler's, not
 * the parse's output, so the check never changes what a client receives.
 */
const CHECKED_IN = new Set(['test', 'development']);

function answerChecker(spec: RouteSpec): ((req: FastifyRequest, body: unknown) => unknown) | undefined {
  const schema = spec.response;
  if (!schema || !CHECKED_IN.has(process.env.NODE_ENV ?? '') || spec.contentType !== undefined)
    return undefined;
  return (req, body) => {
    // What a handler returns is sent as JSON: check the JSON a client reads (dates as text, no undefined).
    const parsed = schema.safeParse(body === undefined ? undefined : JSON.parse(JSON.stringify(body)));
    if (parsed.success) return body;
    req.log.error(
      { route: `${spec.method} ${spec.url}`, issues: parsed.error.issues },
      'response does not match its schema',
    );
    throw new AppError(
      'response_invalid',
      500,
      'The server answered something its API contract does not allow',
    );
  };
}
