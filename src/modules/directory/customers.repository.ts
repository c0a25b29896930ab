import { domainToASCII, domainToUnicode } from 'node:url';
import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Customer, CustomersTable } from '../../db/schema.ts';

// customers and organizations.

/**
 * The one form addresses are stored and matched in: trimmed, lower case (in
 * JavaScript, which knows every script; SQLite's lower() knows only ASCII, so
 * the database only ever compares stored forms), and the domain normalized
 * with IDNA but kept readable: `JDöe@XN--MCHINE-BUA.example` and
 * `jdöe@mächine.example` are one customer, stored as `jdöe@mächine.example`.
 */
export function normalizeEmail(email: string): string {
  const address = email.trim();
  const at = address.lastIndexOf('@');
  if (at < 0) return address.toLowerCase();
  const ascii = domainToASCII(address.slice(at + 1));
  const domain = ascii ? domainToUnicode(ascii) : address.slice(at + 1).toLowerCase();
  return `${address.slice(0, at).normalize('NFC').toLowerCase()}@${domain}`;
}

export function findCustomerByEmail(db: Db, email: string) {
  return db.selectFrom('customers').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export function findCustomerById(db: Db, id: number) {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A customer that must exist (a ticket's requester, the signed-in customer). */
export function getCustomerById(db: Db, id: number) {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The names and addresses of these customers (a ticket's people). */
export function contactsOf(db: Db, ids: number[]) {
  return db.selectFrom('customers').select(['id', 'email', 'name']).where('id', 'in', ids).execute();
}

/** Finds the customer with this address or creates one; matching is case-insensitive. */
export async function findOrCreateCustomer(
  db: Db,
  input: { email: string; name?: string | undefined; phone?: string | undefined },
  now: number,
) {
  const email = normalizeEmail(input.email);
  const existing = await findCustomerByEmail(db, email);
  if (existing) return existing;
  const organization = await db
    .selectFrom('organizations')
    .select('id')
    .where('domain', '=', email.slice(email.indexOf('@') + 1))
    .executeTakeFirst();
  const created = await db
    .insertInto('customers')
    .values({
      email,
      name: input.name?.trim() || email.slice(0, email.indexOf('@')),
      phone: input.phone ?? null,
      organization_id: organization?.id ?? null,
      created_at: now,
      updated_at: now,
    })
    // Two intakes from a new address may race: the loser reads the winner's row.
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  return (
    created ??
    (await db.selectFrom('customers').selectAll().where('email', '=', email).executeTakeFirstOrThrow())
  );
}

export function updateCustomer(db: Db, id: number, patch: Updateable<CustomersTable>): Promise<Customer> {
  return db.updateTable('customers').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** What a customer Actor is built from. */
export function findCustomerForActor(db: Db, id: number) {
  return db
    .selectFrom('customers')
    .leftJoin('organizations', 'organizations.id', 'customers.organization_id')
    .select(['customers.id', 'customers.organization_id', 'organizations.shares_tickets'])
    .where('customers.id', '=', id)
    .executeTakeFirst();
}

/** An organization by id or by exact name. */
export function findOrganization(db: Db, ref: number | string) {
  const q = db.selectFrom('organizations').select(['id', 'name']);
  return (
    typeof ref === 'number' || /^\d+$/.test(ref) ? q.where('id', '=', Number(ref)) : q.where('name', '=', ref)
  ).executeTakeFirst();
}
