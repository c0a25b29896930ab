import crypto from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import type { Actor } from '../modules/auth/auth.actor.ts';
import type { ApiScope } from '../modules/auth/apikeys.service.ts';
import type { Auth } from '../modules/auth/auth.authenticator.ts';
import type { OpenedSession } from '../modules/auth/sessions.service.ts';
import type { HttpContext } from './context.ts';

export const SESSION_COOKIE = 'deskline_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Who may call a route. API keys without an agent act as the system. */
export type Access = 'public' | 'signed-in' | 'agent' | 'admin' | 'customer';

/**
 * Identifies the caller: an API key (`Authorization: Bearer` or `X-API-Key`)
 * wins over a session cookie. A key that is present but wrong is an error,
 * never a silent fall-back to anonymous.
 */
export async function authenticate(ctx: HttpContext, req: FastifyRequest): Promise<Auth> {
  const key = apiKeyOf(req);
  if (key !== undefined) return ctx.auth.apiKey(key, req.ip);
  const token = req.cookies[SESSION_COOKIE];
  if (token) return ctx.auth.session(token);
  return { via: 'anonymous', actor: null };
}

function apiKeyOf(req: FastifyRequest): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const authz = req.headers.authorization;
  if (authz) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    if (!m?.[1]) throw new AppError('api_key_invalid', 401, 'Authorization must be "Bearer <API key>"');
    return m[1];
  }
  return undefined;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie sessions are sent by the browser on any request to this origin, so a
 * write must also carry the session's CSRF token in a header, which another
 * site cannot read or set. API keys are not ambient and need no token.
 */
export function checkCsrf(req: FastifyRequest, auth: Auth): void {
  if (auth.via !== 'session' || SAFE.has(req.method)) return;
  const sent = req.headers[CSRF_HEADER];
  const expected = Buffer.from(auth.session.csrfToken);
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new AppError('csrf_failed', 403, `Cookie-authenticated writes need the ${CSRF_HEADER} header`);
  }
}

/** Enforces the route's access level and, for API keys, its scope. Returns the acting actor. */
export function authorize(auth: Auth, access: Access, scope: ApiScope | undefined): Actor | null {
  if (auth.via === 'apikey') {
    const needed = access === 'admin' ? 'admin' : scope;
    if (needed && !auth.scopes.has(needed))
      throw new AppError('scope_missing', 403, `This API key lacks the "${needed}" scope`);
  }
  if (access === 'public') return auth.actor;
  const actor = auth.actor;
  if (!actor) throw new AppError('unauthenticated', 401, 'Sign in or send an API key');
  const isStaff = actor.kind === 'system' || actor.kind === 'agent';
  if (access === 'agent' && !isStaff) throw new AppError('forbidden', 403, 'Only staff may do this');
  if (access === 'customer' && actor.kind !== 'customer')
    throw new AppError('forbidden', 403, 'Only customers may do this');
  if (access === 'admin' && !(actor.kind === 'system' || (actor.kind === 'agent' && actor.role === 'admin')))
    throw new AppError('forbidden', 403, 'Only administrators may do this');
  return actor;
}

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure when the desk is served over https. */
export function setSessionCookie(ctx: HttpContext, reply: FastifyReply, session: OpenedSession): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.publicUrl.startsWith('https:'),
    path: '/',
    expires: new Date(session.expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
