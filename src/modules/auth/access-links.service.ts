import crypto from 'node:crypto';
import { z } from 'zod';
import { HOUR } from '../../lib/clock.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { enqueue } from '../../jobs/outbox.repository.ts';
import { findCustomerByEmail, findOrCreateCustomer } from '../directory/customers.repository.ts';
import { Email, PersonName } from '../tickets/tickets.schemas.ts';
import { hashPassword, sha256 } from './auth.passwords.ts';
import { openSession, type OpenedSession } from './sessions.service.ts';

// Customers reach the portal with an account (email + password) or with a
// one-time link mailed to them. The link's token is random; only its sha256
// is stored, and it works once, within LINK_TTL_MS.

export const LINK_TTL_MS = 24 * HOUR;

export const AccessLinkRequest = z.strictObject({ email: Email });
export const AccessLinkRedeem = z.strictObject({ token: z.string().min(20).max(200) });
export const Signup = z.strictObject({
  email: Email,
  name: PersonName,
  password: z.string().min(10, 'use at least 10 characters').max(1024),
});

/**
 * Mails a sign-in link when the address belongs to a customer. The caller's
 * answer is the same either way, so the form cannot be used to test addresses.
 */
export async function requestAccessLink(deps: Deps, raw: unknown, ticketId?: number): Promise<void> {
  const { email } = parseInput(AccessLinkRequest, raw);
  const customer = await findCustomerByEmail(deps.db, email);
  if (!customer || customer.is_banned) return;
  await issueAccessLink(deps, customer.id, ticketId ?? null);
}

export async function issueAccessLink(deps: Deps, customerId: number, ticketId: number | null) {
  const token = crypto.randomBytes(24).toString('base64url');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await trx
      .insertInto('access_links')
      .values({
        token_hash: sha256(token),
        customer_id: customerId,
        ticket_id: ticketId,
        created_at: now,
        expires_at: now + LINK_TTL_MS,
        used_at: null,
      })
      .execute();
    // The token rides in the job payload until the mail is written; the jobs
    // table is readable only by admins, who could sign in as anyone anyway.
    await enqueue(trx, now, [{ type: 'mail.access_link', payload: { customerId, token, ticketId } }]);
  });
}

/**
 * Trades a link for a portal session; a used, expired or unknown link is one error.
 * A link mailed for one ticket also names that ticket, so the portal can open it.
 */
export async function redeemAccessLink(
  deps: Deps,
  raw: unknown,
): Promise<{ session: OpenedSession; ticket: string | null }> {
  const { token } = parseInput(AccessLinkRedeem, raw);
  const now = deps.clock.now();
  const claimed = await deps.db
    .updateTable('access_links')
    .set({ used_at: now })
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['customer_id', 'ticket_id'])
    .executeTakeFirst();
  if (!claimed) throw new AppError('access_link_invalid', 401, 'This link has expired or was already used');
  const ticket =
    claimed.ticket_id === null
      ? undefined
      : await deps.db
          .selectFrom('tickets')
          .select('number')
          .where('id', '=', claimed.ticket_id)
          .executeTakeFirst();
  return {
    session: await openSession(deps, 'customer', claimed.customer_id),
    ticket: ticket?.number ?? null,
  };
}

/**
 * Portal sign-up. An address that already has an account must sign in; one
 * known only from earlier tickets must prove it owns the mailbox with an
 * access link first (then set a password), so nobody claims another's history.
 */
export async function signup(deps: Deps, raw: unknown): Promise<OpenedSession> {
  const input = parseInput(Signup, raw);
  const existing = await findCustomerByEmail(deps.db, input.email);
  if (existing) {
    throw new AppError(
      'account_exists',
      409,
      'This address is already known; sign in, or ask for a sign-in link by email',
    );
  }
  const hash = await hashPassword(input.password);
  const now = deps.clock.now();
  const customer = await inTransaction(deps, async (trx) => {
    const c = await findOrCreateCustomer(trx, { email: input.email, name: input.name }, now);
    await trx.updateTable('customers').set({ password_hash: hash }).where('id', '=', c.id).execute();
    return c;
  });
  return openSession(deps, 'customer', customer.id);
}
