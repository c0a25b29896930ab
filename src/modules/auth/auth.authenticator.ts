import net from 'node:net';
import { z } from 'zod';
import type { Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { SYSTEM, type Actor } from './auth.actor.ts';
import { loadAgentActor, loadCustomerActor } from './actors.service.ts';
import { findKeyByHash, touchKey } from './apikeys.repository.ts';
import { API_SCOPES, type ApiScope } from './apikeys.service.ts';
import { sha256 } from './auth.passwords.ts';
import { resolveSession, type ActiveSession } from './sessions.service.ts';

/** How a request proved who it is. Services receive only the actor; the edge also checks scopes and CSRF. */
export type Auth =
  | { via: 'anonymous'; actor: null }
  | { via: 'session'; actor: Actor; session: ActiveSession }
  | { via: 'apikey'; actor: Actor; keyId: number; scopes: ReadonlySet<ApiScope> };

interface CachedKey {
  keyId: number;
  agentId: number | null;
  scopes: ReadonlySet<ApiScope>;
  cidrs: net.BlockList | null;
  at: number;
}

/**
 * A key is looked up once and then trusted for CACHE_MS: integrations post in
 * bursts and the key row plus the agent's access would otherwise be four
 * queries per request. Revoking a key or changing an agent's access therefore
 * takes up to CACHE_MS to reach a running instance (documented in docs/API.md).
 */
const CACHE_MS = 5000;
const LAST_USED_EVERY_MS = 60_000;
const MAX_CACHED = 10_000;

export class Authenticator {
  private readonly keys = new Map<string, CachedKey>();
  private readonly agents = new Map<number, { actor: Actor; at: number }>();
  private readonly lastUsedWritten = new Map<number, number>();

  constructor(private readonly deps: Deps) {}

  async apiKey(key: string, ip: string): Promise<Auth> {
    const now = this.deps.clock.now();
    const hash = sha256(key.trim().toUpperCase());
    let cached = this.keys.get(hash);
    if (!cached || now - cached.at > CACHE_MS) {
      cached = await this.loadKey(hash, now);
      // Only real keys are remembered: a flood of made-up keys must not grow the map.
      if (cached.keyId === 0) throw invalidKey();
      if (this.keys.size >= MAX_CACHED) this.keys.clear();
      this.keys.set(hash, cached);
    }
    if (cached.cidrs && !cached.cidrs.check(...addressOf(ip))) {
      throw new AppError('api_key_ip_not_allowed', 401, 'This API key may not be used from this address');
    }
    await this.touchKey(cached.keyId, now);
    const actor = cached.agentId === null ? SYSTEM : await this.agent(cached.agentId, now);
    return { via: 'apikey', actor, keyId: cached.keyId, scopes: cached.scopes };
  }

  /** Drops what this process remembers of a key (after a revoke) or an agent (after an access change). */
  forgetKey(keyId: number): void {
    for (const [hash, k] of this.keys) if (k.keyId === keyId) this.keys.delete(hash);
  }

  forgetAgent(agentId: number): void {
    this.agents.delete(agentId);
  }

  async session(token: string): Promise<Auth> {
    const session = await resolveSession(this.deps, token);
    if (!session) return { via: 'anonymous', actor: null };
    const actor =
      session.subjectType === 'agent'
        ? await loadAgentActor(this.deps.db, session.subjectId).catch(goneOrThrow)
        : await loadCustomerActor(this.deps.db, session.subjectId).catch(goneOrThrow);
    // A deactivated agent's session stops working at once.
    return actor ? { via: 'session', actor, session } : { via: 'anonymous', actor: null };
  }

  private async loadKey(hash: string, now: number): Promise<CachedKey> {
    const row = await findKeyByHash(this.deps.db, hash);
    if (!row || row.revoked_at !== null) {
      return { keyId: 0, agentId: null, scopes: new Set(), cidrs: null, at: now };
    }
    const scopes = z.array(z.enum(API_SCOPES)).catch([]).parse(JSON.parse(row.scopes));
    const cidrs = z.array(z.string()).catch([]).parse(JSON.parse(row.cidrs));
    return {
      keyId: row.id,
      agentId: row.agent_id,
      scopes: new Set(scopes),
      cidrs: blockList(cidrs),
      at: now,
    };
  }

  private async agent(agentId: number, now: number): Promise<Actor> {
    const hit = this.agents.get(agentId);
    if (hit && now - hit.at <= CACHE_MS) return hit.actor;
    const actor = await loadAgentActor(this.deps.db, agentId).catch((err: unknown) => {
      throw goneOrThrow(err) === null ? invalidKey() : err;
    });
    if (this.agents.size >= MAX_CACHED) this.agents.clear();
    this.agents.set(agentId, { actor, at: now });
    return actor;
  }

  private async touchKey(keyId: number, now: number) {
    if (now - (this.lastUsedWritten.get(keyId) ?? 0) < LAST_USED_EVERY_MS) return;
    this.lastUsedWritten.set(keyId, now);
    await touchKey(this.deps.db, keyId, now);
  }
}

/**
 * A deleted or deactivated account (404 from the loaders) is null; anything
 * else, such as the database being unavailable, is thrown on: a signed-in user
 * must get 503 during an outage, not 401 (the web app would sign them out).
 */
function goneOrThrow(err: unknown): null {
  if (err instanceof AppError && err.status === 404) return null;
  throw err;
}

const invalidKey = () => new AppError('api_key_invalid', 401, 'Valid API key required');

function blockList(cidrs: string[]): net.BlockList | null {
  if (cidrs.length === 0) return null;
  const list = new net.BlockList();
  for (const c of cidrs) {
    const [ip = '', bits] = c.split('/');
    const family = net.isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(bits), family);
  }
  return list;
}

/** IPv4 clients on a dual-stack socket arrive as ::ffff:a.b.c.d; match them as IPv4. */
function addressOf(ip: string): [string, 'ipv4' | 'ipv6'] {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return [mapped[1], 'ipv4'];
  return [ip, net.isIP(ip) === 6 ? 'ipv6' : 'ipv4'];
}
