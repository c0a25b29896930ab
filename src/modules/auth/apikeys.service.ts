import crypto from 'node:crypto';
import net from 'node:net';
import { z } from 'zod';
import type { Deps } from '../../lib/deps.ts';
import { notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { findAgent } from '../directory/directory.repository.ts';
import * as keys from './apikeys.repository.ts';
import { sha256 } from './auth.passwords.ts';
import { isoOrNull } from '../../contract/instant.contract.ts';

export const API_SCOPES = ['tickets:create', 'tickets:read', 'tickets:write', 'admin', 'cron'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const Cidr = z.string().refine(isCidr, 'not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32');

const NewApiKey = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** The agent the key acts as; without one the key acts as the system with every scope. */
  agent: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
  scopes: z.array(z.enum(API_SCOPES)).optional(),
  cidrs: z.array(Cidr).default([]),
});

/**
 * Creates a key and returns it once; only its sha256 is stored. Keys are 32
 * hex characters, the shape osTicket integrations already send in X-API-Key.
 */
export async function createApiKey(
  deps: Deps,
  raw: z.input<typeof NewApiKey>,
): Promise<{ id: number; key: string }> {
  const input = parseInput(NewApiKey, raw);
  const agent = input.agent !== undefined ? await findAgent(deps.db, input.agent) : undefined;
  if (input.agent !== undefined && !agent) throw notFound('agent');
  const key = crypto.randomBytes(16).toString('hex').toUpperCase();
  const scopes =
    input.scopes ?? (agent ? ['tickets:create', 'tickets:read', 'tickets:write'] : [...API_SCOPES]);
  const id = await keys.insertKey(deps.db, {
    name: input.name,
    key_hash: sha256(key),
    prefix: key.slice(0, 6),
    agent_id: agent?.id ?? null,
    scopes: JSON.stringify(scopes),
    cidrs: JSON.stringify(input.cidrs),
    created_at: deps.clock.now(),
  });
  return { id, key };
}

function isCidr(value: string): boolean {
  const [ip, bits, extra] = value.split('/');
  if (!ip || extra !== undefined) return false;
  const family = net.isIP(ip);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

export const NewApiKeyInput = NewApiKey;

export async function listApiKeys(deps: Deps) {
  const rows = await keys.listKeys(deps.db);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    agent: r.agent_email,
    scopes: JSON.parse(r.scopes) as string[],
    cidrs: JSON.parse(r.cidrs) as string[],
    createdAt: isoOrNull(r.created_at),
    lastUsedAt: isoOrNull(r.last_used_at),
    revokedAt: isoOrNull(r.revoked_at),
  }));
}

/** Revoking keeps the row (who had which key, when) and refuses the key from then on. */
export async function revokeApiKey(deps: Deps, id: number): Promise<void> {
  if (!(await keys.revokeKey(deps.db, id, deps.clock.now())) && !(await keys.keyExists(deps.db, id)))
    throw notFound('api_key');
}
