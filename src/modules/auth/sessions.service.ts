import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { DAY, MINUTE } from '../../lib/clock.ts';
import type { Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { normalizeEmail } from '../directory/customers.repository.ts';
import { Email } from '../tickets/tickets.schemas.ts';
import { hashPassword, sha256, verifyPassword } from './auth.passwords.ts';

// Cookie sessions for agents (staff panel) and customers (portal). The cookie
// carries a random token; the database keeps only its sha256, so a leaked
// sessions table signs nobody in. Each session has its own CSRF token.

export type SubjectType = 'agent' | 'customer';
export const SESSION_TTL_MS = 7 * DAY;
/** last_seen_at is written at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 5 * MINUTE;

export const Credentials = z.strictObject({
  email: Email,
  password: z.string().min(1).max(1024),
});

export const NewPassword = z.strictObject({
  currentPassword: z.string().max(1024).optional(),
  newPassword: z.string().min(10, 'use at least 10 characters').max(1024),
});

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
  const address = normalizeEmail(email);
  if (type === 'agent') {
    const a = await db
      .selectFrom('agents')
      .select(['id', 'password_hash', 'is_active'])
      .where('email', '=', address)
      .executeTakeFirst();
    return a && { id: a.id, password_hash: a.password_hash, active: a.is_active === 1 };
  }
  const c = await db
    .selectFrom('customers')
    .select(['id', 'password_hash', 'is_banned'])
    .where('email', '=', address)
    .executeTakeFirst();
  return c && { id: c.id, password_hash: c.password_hash, active: c.is_banned === 0 };
}

export async function openSession(deps: Deps, type: SubjectType, subjectId: number): Promise<OpenedSession> {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  const now = deps.clock.now();
  const expiresAt = now + SESSION_TTL_MS;
  await deps.db
    .insertInto('sessions')
    .values({
      id_hash: sha256(token),
      subject_type: type,
      subject_id: subjectId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
      last_seen_at: now,
    })
    .execute();
  return { token, csrfToken, subjectType: type, subjectId, expiresAt };
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
  const row = await deps.db
    .selectFrom('sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row || row.expires_at <= now) return undefined;
  if (now - row.last_seen_at > TOUCH_EVERY_MS) {
    await deps.db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: now + SESSION_TTL_MS })
      .where('id_hash', '=', idHash)
      .execute();
  }
  return { idHash, subjectType: row.subject_type, subjectId: row.subject_id, csrfToken: row.csrf_token };
}

export async function endSession(deps: Deps, idHash: string): Promise<void> {
  await deps.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
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
  const table = session.subjectType === 'agent' ? 'agents' : 'customers';
  const row = await deps.db
    .selectFrom(table)
    .select('password_hash')
    .where('id', '=', session.subjectId)
    .executeTakeFirstOrThrow();
  if (row.password_hash) {
    const ok =
      input.currentPassword !== undefined && (await verifyPassword(input.currentPassword, row.password_hash));
    if (!ok) throw new AppError('invalid_credentials', 401, 'The current password is wrong');
  }
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable(table)
      .set({ password_hash: hash, updated_at: deps.clock.now() })
      .where('id', '=', session.subjectId)
      .execute();
    await trx
      .deleteFrom('sessions')
      .where('subject_type', '=', session.subjectType)
      .where('subject_id', '=', session.subjectId)
      .where('id_hash', '!=', session.idHash)
      .execute();
  });
}
