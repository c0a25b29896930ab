import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { invalid } from '../lib/errors.ts';
import type { Auth } from '../modules/auth/auth.authenticator.ts';
import type { IdempotencyClaim } from '../modules/tickets/tickets.idempotency.ts';

export const REPLAYED_HEADER = 'idempotent-replayed';

/** The claim an `Idempotency-Key` header makes, scoped to the caller; undefined without the header. */
export function idempotencyClaim(
  req: FastifyRequest,
  auth: Auth,
  body: unknown,
): IdempotencyClaim | undefined {
  const header = req.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || !/^[\x21-\x7e]{1,255}$/.test(key))
    throw invalid('idempotency_key_invalid', 'Idempotency-Key must be 1–255 visible ASCII characters');
  const scope =
    auth.via === 'apikey'
      ? `key:${auth.keyId}`
      : auth.actor && auth.actor.kind !== 'system'
        ? `actor:${auth.actor.kind}:${auth.actor.id}`
        : `ip:${req.ip}`;
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body ?? null));
  return { scope, key, requestHash: crypto.createHash('sha256').update(bytes).digest('hex') };
}
