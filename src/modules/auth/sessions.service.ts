import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { DAY, MINUTE } from '../../lib/clock.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import * as agents from '../directory/agents.repository.ts';
import * as customers from '../directory/customers.repository.ts';
import { Credentials, NewPassword } from '../../contract/auth.contract.ts';
import type { Actor } from './auth.actor.ts';
import { loadAgentActor, loadCustomerActor } from './actors.service.ts';
import { hashPassword, sha256, verifyPassword } from './auth.passwords.ts';
import { presentCurrentUser, SYSTEM_USER, type CurrentUserView } from './auth.presenter.ts';
import * as sessions from './sessions.repository.ts';

// Cookie sessions for agents (staff panel) and customers (portal). The cookie
// carries a random token; the database keeps only its sha256, so a leaked
// sessions table signs nobody in. Each session has its own CSRF token.

export type SubjectType = 'agent' | 'customer';
export const SESSION_TTL_MS = 7 * DAY;
/** last_seen_at is written at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 5 * MINUTE;

export interface OpenedSession {
  token: string;
  csrfToken: string;
  subjectType: SubjectType;
  subjectId: number;
  expiresAt: number;
}

// Verified when the account is unknown, so a wrong address costs what a wrong password does.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashPassword('deskline-decoy-password'));

/** Email + password sign-in. One error for every failure, so the answer never tells which accounts exist. */
export async function login(deps: Deps, type: SubjectType, raw: unknown): Promise<OpenedSession> {
  const { email, password } = parseInput(Credentials, raw);
  const account = await findAccount(deps.db, type, email);
  const stored = account?.password_hash ?? (await decoy());
  const ok = await verifyPassword(password, stored);
  if (!account || !account.password_hash || !ok || !account.active) {
    throw new AppError('invalid_credentials', 401, 'Email or password is wrong');
  }
  return openSession(deps, type, account.id);
}

async function findAccount(db: Db, type: SubjectType, email: string) {
  const address = customers.normalizeEmail(email);
  if (type === 'agent') {
    const a = await agents.findAgentCredentials(db, address);
    return a && { id: a.id, password_hash: a.password_hash, active: a.is_active === 1 };
  }
  const c = await customers.findCustomerByEmail(db, address);
  return c && { id: c.id, password_hash: c.password_hash, active: c.is_banned === 0 };
}

export async function openSession(deps: Deps, type: SubjectType, subjectId: number): Promise<OpenedSession> {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  const now = deps.clock.now();
  const expiresAt = now + SESSION_TTL_MS;
  await sessions.insertSession(deps.db, {
    id_hash: sha256(token),
    subject_type: type,
    subject_id: subjectId,
    csrf_token: csrfToken,
    created_at: now,
    expires_at: expiresAt,
    last_seen_at: now,
  });
  return { token, csrfToken, subjectType: type, subjectId, expiresAt };
}

/** What a sign-in answers besides the cookie: the session's CSRF token and who is signed in. */
export async function signedIn(
  deps: Deps,
  session: OpenedSession,
): Promise<{ csrfToken: string; user: CurrentUserView }> {
  const actor =
    session.subjectType === 'agent'
      ? await loadAgentActor(deps.db, session.subjectId)
      : await loadCustomerActor(deps.db, session.subjectId);
  return { csrfToken: session.csrfToken, user: await currentUser(deps.db, actor) };
}

/** The caller as the API shows them (auth.presenter.ts), read afresh. */
export async function currentUser(db: Db, actor: Actor): Promise<CurrentUserView> {
  if (actor.kind === 'system') return SYSTEM_USER;
  if (actor.kind === 'customer') {
    const me = await customers.getCustomerById(db, actor.id);
    const org =
      actor.organizationId === null ? undefined : await customers.findOrganization(db, actor.organizationId);
    return presentCurrentUser(actor, { name: me.name, email: me.email }, org);
  }
  return presentCurrentUser(actor, await agents.findAgentProfile(db, actor.id));
}

export interface ActiveSession {
  idHash: string;
  subjectType: SubjectType;
  subjectId: number;
  csrfToken: string;
}

/** The live session a cookie names, sliding its expiry; undefined when unknown or expired. */
export async function resolveSession(deps: Deps, token: string): Promise<ActiveSession | undefined> {
  const idHash = sha256(token);
  const now = deps.clock.now();
  const row = await sessions.findSession(deps.db, idHash);
  if (!row || row.expires_at <= now) return undefined;
  if (now - row.last_seen_at > TOUCH_EVERY_MS)
    await sessions.touchSession(deps.db, idHash, now, now + SESSION_TTL_MS);
  return { idHash, subjectType: row.subject_type, subjectId: row.subject_id, csrfToken: row.csrf_token };
}

export async function endSession(deps: Deps, idHash: string): Promise<void> {
  await sessions.deleteSession(deps.db, idHash);
}

/**
 * Changes the signed-in account's password. The current one is required when
 * one is set (a customer who came in by access link may set their first).
 * Every other session of the account ends: a thief's session dies with the old password.
 */
export async function changePassword(
  deps: Deps,
  session: ActiveSession,
  raw: z.input<typeof NewPassword>,
): Promise<void> {
  const input = parseInput(NewPassword, raw);
  const agent = session.subjectType === 'agent';
  const stored = agent
    ? (await agents.findAgentPasswordHash(deps.db, session.subjectId)).password_hash
    : (await customers.getCustomerById(deps.db, session.subjectId)).password_hash;
  if (stored) {
    const ok = input.currentPassword !== undefined && (await verifyPassword(input.currentPassword, stored));
    if (!ok) throw new AppError('invalid_credentials', 401, 'The current password is wrong');
  }
  const hash = await hashPassword(input.newPassword);
  await inTransaction(deps, async (trx) => {
    const change = { password_hash: hash, updated_at: deps.clock.now() };
    if (agent) await agents.updateAgent(trx, session.subjectId, change);
    else await customers.updateCustomer(trx, session.subjectId, change);
    await sessions.deleteSessionsOf(
      trx,
      { type: session.subjectType, id: session.subjectId },
      session.idHash,
    );
  });
}
