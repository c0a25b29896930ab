import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AccessLinksTable } from '../../db/schema.ts';
import { inTransaction, referenceOf, type Deps } from '../../lib/deps.ts';
import { AppError, forbidden, invalid } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { enqueue } from '../outbox/outbox.service.ts';
import { findAgentIdByEmail } from '../directory/agents.repository.ts';
import { mayManageCustomers } from '../directory/customers.policy.ts';
import {
  findCustomerByEmail,
  getCustomerById,
  findOrCreateCustomer,
  normalizeEmail,
  updateCustomer,
} from '../directory/customers.repository.ts';
import { getCustomer } from '../directory/customers.service.ts';
import type { AccountMail } from '../mail/mail.templates.ts';
import { Confirmation, EmailChange, Signup } from '../../contract/auth.contract.ts';
import { endUnusedLinks, markLinkUsed } from './access-links.repository.ts';
import { findLink, mailSignInLink, recordLink } from './access-links.service.ts';
import type { Actor } from './auth.actor.ts';
import { hashPassword, verifyPassword } from './auth.passwords.ts';
import { deleteSessionsOf } from './sessions.repository.ts';
import { openSession, type OpenedSession } from './sessions.service.ts';

// Portal accounts prove their address before they work (issue 17, item 4).
//
// Sign-up mails a confirmation link and answers the same whatever the
// address: a new address gets the link; one with an account gets "you
// already have an account" and a sign-in link; a staff address gets a note
// that it cannot be a customer account. Until the link is redeemed no
// password is set and no customer row is created or changed, so an early
// sign-up claims nothing. Redeeming also needs the password chosen at
// sign-up: whoever clicks a link someone else asked for (the owner, lured)
// cannot finish the stranger's account with the stranger's password.
//
// A customer's address changes only when the new address confirms. A
// customer asks for it while signed in, and must be signed in to the same
// account to confirm (so nobody moves their own account onto a mailbox they
// do not own by luring its owner to click). Staff who manage customers may
// correct an address (a typo from a phone call); the new address's owner
// confirms, and because the old address may have been someone else's, the
// account's password, sessions and links end then.

/** What a confirmation did, for the page that shows it. */
export type ConfirmedPurpose = 'signup' | 'email_change';

const isStaffAddress = async (db: Db, address: string) =>
  (await findAgentIdByEmail(db, address)) !== undefined;

/** Queues an account mail (a confirmation link or a notice) to an address. */
async function mailAccount(trx: Db, now: number, to: string, template: AccountMail, token?: string) {
  await enqueue(trx, now, [{ type: 'mail.account', payload: { template, to, token: token ?? null } }]);
}

/** A notice without a link; counted against the address like a link, so it cannot be used to flood anyone. */
async function notice(trx: Db, now: number, to: string, template: AccountMail) {
  if (await recordLink(trx, now, { purpose: 'notice', address: to, customerId: null, capped: true }))
    await mailAccount(trx, now, to, template);
}

/** Portal sign-up: mails the address and answers nothing about it (the caller always gets 202). */
export async function signup(deps: Deps, raw: unknown): Promise<void> {
  const input = parseInput(Signup, raw);
  const address = normalizeEmail(input.email);
  const ref = await referenceOf(deps);
  // Hashed whatever the address, so the answer takes as long for a known one.
  const passwordHash = await hashPassword(input.password);
  if (ref.isOwnAddress(address)) return; // the desk's own mailboxes never become customers
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    if (await isStaffAddress(trx, address)) return notice(trx, now, address, 'staff_address');
    const customer = await findCustomerByEmail(trx, address);
    if (customer?.is_banned) return;
    if (customer?.password_hash)
      return mailSignInLink(trx, now, customer, { ticketId: null, capped: true, reason: 'account_exists' });
    const token = await recordLink(trx, now, {
      purpose: 'signup',
      address,
      customerId: customer?.id ?? null,
      name: input.name,
      passwordHash,
      capped: true,
    });
    if (token) await mailAccount(trx, now, address, 'confirm_signup', token);
  });
}

/** A customer asks to change their own address: the new one gets the link (or a notice), the answer is 202 either way. */
export async function requestOwnEmailChange(deps: Deps, actor: Actor, raw: unknown): Promise<void> {
  if (actor.kind !== 'customer') throw forbidden('Only customers change their address here');
  const address = normalizeEmail(parseInput(EmailChange, raw).email);
  const ref = await referenceOf(deps);
  if (ref.isOwnAddress(address)) return;
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const me = await getCustomerById(trx, actor.id);
    if (me.email === address) return;
    if (await isStaffAddress(trx, address)) return notice(trx, now, address, 'staff_address');
    if (await findCustomerByEmail(trx, address)) return notice(trx, now, address, 'address_taken');
    const token = await recordLink(trx, now, {
      purpose: 'email_change',
      address,
      customerId: me.id,
      capped: true,
    });
    if (token) await mailAccount(trx, now, address, 'confirm_email', token);
  });
}

/** Staff who manage customers correct an address; it takes effect when the new address confirms. */
export async function requestEmailCorrection(
  deps: Deps,
  actor: Actor,
  customerId: number,
  raw: unknown,
): Promise<void> {
  const address = normalizeEmail(parseInput(EmailChange, raw).email);
  const customer = await getCustomer(deps, actor, customerId);
  if (!mayManageCustomers(actor))
    throw forbidden("Only admins and agents who manage customers may change a customer's address");
  if (customer.email === address) throw invalid('email_unchanged', 'That is already the customer’s address');
  const ref = await referenceOf(deps);
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    if (ref.isOwnAddress(address) || (await isStaffAddress(trx, address)))
      throw invalid('address_not_allowed', 'A staff or desk address cannot be a customer’s');
    if (await findCustomerByEmail(trx, address))
      throw new AppError('customer_exists', 409, `A customer with the address ${address} exists`);
    const token = await recordLink(trx, now, {
      purpose: 'email_correction',
      address,
      customerId,
      capped: true,
    });
    if (!token)
      throw new AppError('rate_limited', 429, 'This address has had enough account mail this hour', {
        retryAfter: 3600,
      });
    await mailAccount(trx, now, address, 'confirm_email', token);
  });
}

type Link = Selectable<AccessLinksTable>;

/**
 * Redeems a confirmation link (sign-up or address change) and signs the
 * account in. A failed check leaves the link unused, so the owner can retry.
 */
export async function confirmAddress(
  deps: Deps,
  actor: Actor | null,
  raw: unknown,
): Promise<{ session: OpenedSession; purpose: ConfirmedPurpose }> {
  const input = parseInput(Confirmation, raw);
  const now = deps.clock.now();
  const link = await findLink(deps.db, input.token, ['signup', 'email_change', 'email_correction'], now);
  if (!link || link.address === null) throw invalidConfirmation();
  if (link.purpose === 'signup') {
    const ok =
      input.password !== undefined &&
      link.password_hash !== null &&
      (await verifyPassword(input.password, link.password_hash));
    if (!ok) throw new AppError('invalid_credentials', 401, 'Enter the password you chose when signing up');
  }
  if (link.purpose === 'email_change' && (actor?.kind !== 'customer' || actor.id !== link.customer_id))
    throw new AppError(
      'sign_in_required',
      401,
      'Sign in to the account that asked for this change, then open the link again',
    );
  const customerId = await inTransaction(deps, async (trx) => {
    if (await isStaffAddress(trx, link.address!))
      throw invalid('address_not_allowed', 'A staff address cannot be a customer’s');
    if (!(await markLinkUsed(trx, link.token_hash, now))) throw invalidConfirmation();
    return link.purpose === 'signup' ? completeSignup(trx, link, now) : completeEmailChange(trx, link, now);
  });
  return {
    session: await openSession(deps, 'customer', customerId),
    purpose: link.purpose === 'signup' ? 'signup' : 'email_change',
  };
}

const invalidConfirmation = () =>
  new AppError('confirmation_invalid', 401, 'This confirmation link has expired or was already used');

/** The address is proven: the customer (new, or known from earlier tickets) gets the chosen password. */
async function completeSignup(trx: Db, link: Link, now: number): Promise<number> {
  const customer = await findOrCreateCustomer(
    trx,
    { email: link.address!, name: link.name ?? undefined },
    now,
  );
  if (customer.is_banned) throw forbidden('This address may not use the portal');
  // The stored hash was read before markLinkUsed cleared it.
  await updateCustomer(trx, customer.id, { password_hash: link.password_hash, updated_at: now });
  // Other pending sign-ups of the address (a stranger's among them) die with this one.
  await endUnusedLinks(trx, { address: link.address!, purpose: 'signup' }, now);
  // The account had a password after all (set through a sign-in link meanwhile): its sessions end.
  if (customer.password_hash) await deleteSessionsOf(trx, { type: 'customer', id: customer.id });
  return customer.id;
}

/** The new address is proven: it becomes the customer's, and what the old one could do ends. */
async function completeEmailChange(trx: Db, link: Link, now: number): Promise<number> {
  const customerId = link.customer_id!;
  const taken = await findCustomerByEmail(trx, link.address!);
  if (taken && taken.id !== customerId)
    throw new AppError('customer_exists', 409, 'This address has its own customer record now; ask the desk');
  await updateCustomer(trx, customerId, {
    email: link.address!,
    updated_at: now,
    // Staff corrected it: whoever set a password through the old address must not keep it.
    ...(link.purpose === 'email_correction' ? { password_hash: null } : {}),
  });
  // Links to the old address must die with it, and so must its sessions.
  await endUnusedLinks(trx, { customerId }, now);
  await deleteSessionsOf(trx, { type: 'customer', id: customerId });
  return customerId;
}
