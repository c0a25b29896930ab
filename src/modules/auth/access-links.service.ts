import crypto from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { LinkPurpose } from '../../db/schema.ts';
import { HOUR } from '../../lib/clock.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { enqueue } from '../outbox/outbox.service.ts';
import { findCustomerByEmail, getCustomerById, normalizeEmail } from '../directory/customers.repository.ts';
import { findTicketById } from '../tickets/tickets.repository.ts';
import { AccessLinkRedeem, AccessLinkRequest } from '../../contract/auth.contract.ts';
import * as links from './access-links.repository.ts';
import { sha256 } from './auth.passwords.ts';
import { openSession, type OpenedSession } from './sessions.service.ts';

// Links mailed to prove an address: portal sign-in (a customer without a
// password, or one who forgot it), the confirmation of a sign-up and of an
// email change (accounts.service.ts). Each token is random; only its sha256
// is stored; it works once, for one purpose, within LINK_TTL_MS. Every
// account mail, link or notice, is a row for its address, so the rows also
// cap how much account mail one address gets (LINKS_PER_ADDRESS_PER_HOUR):
// a stranger can neither flood a mailbox nor keep minting links for it.

export const LINK_TTL_MS = 24 * HOUR;
export const LINKS_PER_ADDRESS_PER_HOUR = 5;
/** Expired links are kept this long (the per-address cap counts recent ones), then deleted. */
const KEEP_EXPIRED_MS = 24 * HOUR;

export interface NewLink {
  purpose: LinkPurpose;
  /** The address the mail goes to (normalized here). */
  address: string;
  customerId: number | null;
  ticketId?: number | null;
  /** A pending sign-up's name and password hash. */
  name?: string;
  passwordHash?: string;
  /** Count against the address's hourly cap (every link a stranger can ask for). */
  capped: boolean;
}

/**
 * Records a link in the caller's transaction and returns its token, or
 * undefined when the address has had its share of account mail this hour
 * (the caller then sends nothing and answers as usual). A `notice` row is a
 * mail without a link: it expires at once and only counts.
 */
export async function recordLink(trx: Db, now: number, link: NewLink): Promise<string | undefined> {
  const address = normalizeEmail(link.address);
  if (link.capped && (await links.countLinksSince(trx, address, now - HOUR)) >= LINKS_PER_ADDRESS_PER_HOUR)
    return undefined;
  const token = crypto.randomBytes(24).toString('base64url');
  await links.insertLink(trx, {
    token_hash: sha256(token),
    customer_id: link.customerId,
    ticket_id: link.ticketId ?? null,
    created_at: now,
    expires_at: link.purpose === 'notice' ? now : now + LINK_TTL_MS,
    used_at: null,
    purpose: link.purpose,
    address,
    name: link.name ?? null,
    password_hash: link.passwordHash ?? null,
  });
  return token;
}

/** The live link a token names, if it is for one of these purposes (useLink then claims it). */
export const findLink = (trx: Db, token: string, purposes: LinkPurpose[], now: number) =>
  links.findLiveLink(trx, sha256(token), purposes, now);

/**
 * Mails a sign-in link when the address belongs to a customer. The caller's
 * answer is the same either way, so the form cannot be used to test addresses.
 */
export async function requestAccessLink(deps: Deps, raw: unknown, ticketId?: number): Promise<void> {
  const { email } = parseInput(AccessLinkRequest, raw);
  const customer = await findCustomerByEmail(deps.db, email);
  if (!customer || customer.is_banned) return;
  await inTransaction(deps, (trx) =>
    mailSignInLink(trx, deps.clock.now(), customer, { ticketId: ticketId ?? null, capped: true }),
  );
}

/** The link mailed to an anonymous visitor for the ticket they just opened, in that ticket's transaction (the ticket itself is the limit). */
export async function writeAccessLink(trx: Db, ticket: { id: number; requester_id: number }, now: number) {
  const customer = await getCustomerById(trx, ticket.requester_id);
  await mailSignInLink(trx, now, customer, { ticketId: ticket.id, capped: false });
}

/**
 * Records a sign-in link for the customer and queues its mail. `reason`
 * picks the text: a plain link, or "you already have an account" for a
 * sign-up with an address that has one.
 */
export async function mailSignInLink(
  trx: Db,
  now: number,
  customer: { id: number; email: string },
  opts: { ticketId: number | null; capped: boolean; reason?: 'account_exists' },
): Promise<void> {
  const token = await recordLink(trx, now, {
    purpose: 'sign_in',
    address: customer.email,
    customerId: customer.id,
    ticketId: opts.ticketId,
    capped: opts.capped,
  });
  if (token === undefined) return;
  // The token rides in the job payload until the mail is written; the jobs
  // table is readable only by admins, who could sign in as anyone anyway.
  const payload = { customerId: customer.id, token, ticketId: opts.ticketId, reason: opts.reason ?? null };
  await enqueue(trx, now, [{ type: 'mail.access_link', payload }]);
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
  const claimed = await inTransaction(deps, async (trx) => {
    const link = await findLink(trx, token, ['sign_in'], now);
    if (!link || link.customer_id === null || !(await links.markLinkUsed(trx, link.token_hash, now)))
      return undefined;
    return link;
  });
  if (!claimed) throw new AppError('access_link_invalid', 401, 'This link has expired or was already used');
  const ticket = claimed.ticket_id === null ? undefined : await findTicketById(deps.db, claimed.ticket_id);
  return {
    session: await openSession(deps, 'customer', claimed.customer_id!),
    ticket: ticket?.number ?? null,
  };
}

/**
 * Housekeeping (the scheduler): deletes links that expired a day ago or more,
 * at most `limit` per call — with them go pending sign-ups' password hashes.
 */
export const purgeExpiredLinks = (deps: Deps, limit = 5_000): Promise<number> =>
  links.deleteExpiredLinks(deps.db, deps.clock.now() - KEEP_EXPIRED_MS, limit);
