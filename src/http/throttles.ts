import type { FastifyRequest } from 'fastify';
import { referenceOf } from '../lib/deps.ts';
import { AppError } from '../lib/errors.ts';
import { authenticate } from './auth.ts';
import { normalizeEmail } from '../modules/directory/customers.repository.ts';
import type { SubjectType } from '../modules/auth/sessions.service.ts';
import type { HttpContext } from './context.ts';

// The edge's rate limits (setting rate_limits), counted per process by ctx.limiter.
//
// Sign-in (loginPerIp, loginPerAccount, windowSeconds). Every attempt counts against the client address (limitLoginAddress, before
// the body is read), so one address cannot spray many accounts. Failures count against the account and against the
// pair (account, address). An address is stopped after loginPerAccount
// failures on one account; and once the account as a whole has had that many
// failures, every address that has failed against it is stopped too. An
// address that has not failed may still try: the owner, signing in from
// their own address, is not locked out by someone hammering the account
// from elsewhere, while each guessing address gets at most one try per window
// once the account is under attack. A success clears only its own pair.

/** The per-address count: a route `throttle`, taken when the request arrives, before its body is read. */
export async function limitLoginAddress(ctx: HttpContext, req: FastifyRequest): Promise<void> {
  const limits = (await referenceOf(ctx.deps)).settings.rate_limits;
  ctx.limiter.hit(`login-ip:${req.ip}`, limits.loginPerIp, limits.windowSeconds * 1000);
}

/** Runs a sign-in attempt under the per-account and per-(account, address) failure counts. */
export async function throttledSignIn<T>(
  ctx: HttpContext,
  req: FastifyRequest,
  type: SubjectType,
  email: string,
  attempt: () => Promise<T>,
): Promise<T> {
  const limits = (await referenceOf(ctx.deps)).settings.rate_limits;
  const windowMs = limits.windowSeconds * 1000;
  const account = `login:${type}:${normalizeEmail(email)}`;
  const pair = `${account}|${req.ip}`;
  const max = limits.loginPerAccount;
  if (max > 0) {
    const failed = ctx.limiter.count(pair, windowMs);
    if (failed >= max) throw ctx.limiter.refuse(pair, windowMs);
    if (failed > 0 && ctx.limiter.count(account, windowMs) >= max)
      throw ctx.limiter.refuse(account, windowMs);
  }
  try {
    const result = await attempt();
    ctx.limiter.reset(pair);
    return result;
  } catch (err) {
    if (err instanceof AppError && err.code === 'invalid_credentials') {
      ctx.limiter.add(account, windowMs);
      ctx.limiter.add(pair, windowMs);
    }
    throw err;
  }
}

/**
 * A route `throttle` for intake: counted when the request arrives, before its
 * body is read — per API key when a valid one is sent, else per address.
 */
export const throttleIntake =
  (ctx: HttpContext) =>
  async (req: FastifyRequest): Promise<void> => {
    const keyed = req.headers['x-api-key'] !== undefined || req.headers.authorization !== undefined;
    // A key that does not authenticate counts as anonymous here; the route itself answers it (401, 503).
    const auth = keyed ? await authenticate(ctx, req).catch(() => null) : null;
    await limitIntake(ctx, req, auth?.via === 'apikey' ? auth.keyId : undefined);
  };

/** Anonymous intake (portal forms, sign-up, access links) counts per address; API keys per key. */
export async function limitIntake(ctx: HttpContext, req: FastifyRequest, keyId?: number) {
  const limits = (await referenceOf(ctx.deps)).settings.rate_limits;
  const windowMs = limits.windowSeconds * 1000;
  if (keyId !== undefined) ctx.limiter.hit(`intake-key:${keyId}`, limits.intakePerKey, windowMs);
  else ctx.limiter.hit(`intake-ip:${req.ip}`, limits.intakePerIp, windowMs);
}
