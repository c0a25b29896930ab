import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Customer, Database } from '../../db/schema.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { Email, PersonName, Ref } from '../tickets/tickets.schemas.ts';
import { customersVisibleTo, mayManageCustomers, visibleCustomer } from './customers.access.ts';
import { findCustomerByEmail, findOrCreateCustomer, normalizeEmail } from './customers.repository.ts';
import { isoText } from '../../lib/instant.ts';

// Customers as staff manage them (phone intake creates them; admins ban).
// Lists are keyset-paged by id so page 500 costs what page 1 does. Who sees
// and changes whom: customers.access.ts. An address is changed only through
// a confirmation mailed to the new one (auth/accounts.service.ts).

export const CustomerQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  organization: z.coerce.number().int().positive().optional(),
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const NewCustomer = z.strictObject({
  email: Email,
  name: PersonName,
  phone: z.string().trim().max(32).optional(),
  /** Admins and agents who manage customers (without it, the address's domain decides). */
  organization: Ref.optional(),
});
export const CustomerUpdate = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
  phone: z.string().trim().max(32).nullable().optional(),
  /** Admins and agents who manage customers: it decides which shared tickets the customer reads. */
  organization: Ref.nullable().optional(),
  /** Admins only: a banned address may not open tickets. */
  isBanned: z.boolean().optional(),
});

export const CustomerOut = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  organizationId: z.number().nullable(),
  isBanned: z.boolean(),
  hasAccount: z.boolean(),
  createdAt: z.string(),
});

export const presentCustomer = (c: Customer): z.output<typeof CustomerOut> => ({
  id: c.id,
  email: c.email,
  name: c.name,
  phone: c.phone,
  organizationId: c.organization_id,
  isBanned: c.is_banned === 1,
  hasAccount: c.password_hash !== null,
  createdAt: isoText(c.created_at),
});

/**
 * Customers the actor may see (customers.access.ts), optionally searched. A
 * search for a complete address also finds that customer when the agent has
 * no ticket of theirs: phone intake must find a known caller by the address
 * they give, while browsing and partial searches stay within the agent's
 * tickets. The one extra row tells the agent no more than opening a ticket
 * for that address would.
 */
export async function listCustomers(deps: Deps, actor: Actor, raw: unknown) {
  const input = parseInput(CustomerQuery, raw);
  let q = deps.db.selectFrom('customers').selectAll();
  if (input.q) {
    // A prefix of the address or a part of the name: what a search box in phone intake needs.
    const like = `%${input.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where(
      sql<SqlBool>`(email like ${`${normalizeEmail(input.q)}%`} or lower(name) like ${like} escape '\\')`,
    );
  }
  if (input.organization) q = q.where('organization_id', '=', input.organization);
  if (input.cursor) {
    if (!/^\d+$/.test(input.cursor))
      throw invalid('invalid_cursor', 'The cursor is not one this list handed out');
    q = q.where('id', '>', Number(input.cursor));
  }
  const page = input.limit + 1;
  const rows =
    input.q === undefined
      ? await q
          .where((eb) => customersVisibleTo(actor) ?? eb.lit(true))
          .orderBy('id')
          .limit(page)
          .execute()
      : await scopedSearch(deps, actor, q, input.q, page);
  const items = rows.slice(0, input.limit);
  return {
    items: items.map(presentCustomer),
    nextCursor: rows.length > input.limit ? String(items[items.length - 1]!.id) : null,
  };
}

/**
 * A search, then the actor's scope over its matches (with the caller's whole
 * address allowed through). The matches are materialized first: PostgreSQL
 * otherwise costs the scope's EXISTS for every customer, and past its JIT
 * threshold spends half a second compiling a query that runs in a tenth.
 */
function scopedSearch(deps: Deps, actor: Actor, search: CustomerSelect, text: string, page: number) {
  const scope = customersVisibleTo(actor, 'matches');
  if (!scope) return search.orderBy('id').limit(page).execute();
  const whole = Email.safeParse(text).success;
  return deps.db
    .with(
      (cte) => cte('matches').materialized(),
      () => search,
    )
    .selectFrom('matches')
    .selectAll()
    .where(whole ? sql<SqlBool>`(${scope} or matches.email = ${normalizeEmail(text)})` : scope)
    .orderBy('id')
    .limit(page)
    .execute();
}
type CustomerSelect = SelectQueryBuilder<Database, 'customers', Customer>;

/** One customer the actor may see; 404 for one they may not, as for a missing one. */
export const getCustomer = (deps: Deps, actor: Actor, id: number): Promise<Customer> =>
  visibleCustomer(deps.db, actor, id);

async function organizationId(deps: Deps, ref: z.output<typeof Ref> | null | undefined) {
  if (ref === undefined || ref === null) return ref;
  const q = deps.db.selectFrom('organizations').select('id');
  const org = await (
    typeof ref === 'number' || /^\d+$/.test(ref) ? q.where('id', '=', Number(ref)) : q.where('name', '=', ref)
  ).executeTakeFirst();
  if (!org) throw notFound('organization');
  return org.id;
}

const mayNotMove = () =>
  forbidden("Only admins and agents who manage customers may change a customer's organization");

export async function createCustomer(deps: Deps, actor: Actor, raw: unknown): Promise<Customer> {
  const input = parseInput(NewCustomer, raw);
  if (input.organization !== undefined && !mayManageCustomers(actor)) throw mayNotMove();
  if (await findCustomerByEmail(deps.db, input.email))
    throw new AppError('customer_exists', 409, `A customer with the address ${input.email} exists`);
  const org = await organizationId(deps, input.organization);
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const c = await findOrCreateCustomer(
      trx,
      { email: input.email, name: input.name, phone: input.phone },
      now,
    );
    if (org === undefined) return c;
    return trx
      .updateTable('customers')
      .set({ organization_id: org })
      .where('id', '=', c.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function updateCustomer(deps: Deps, actor: Actor, id: number, raw: unknown): Promise<Customer> {
  const input = parseInput(CustomerUpdate, raw);
  const isAdmin = actor.kind === 'system' || (actor.kind === 'agent' && actor.role === 'admin');
  const current = await visibleCustomer(deps.db, actor, id);
  if (input.isBanned !== undefined && !isAdmin)
    throw new AppError('forbidden', 403, 'Only administrators may ban');
  const org = await organizationId(deps, input.organization);
  // Sending the organization the customer already has (a whole form) is no move.
  if (org !== undefined && org !== current.organization_id && !mayManageCustomers(actor)) throw mayNotMove();
  const patch = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(org !== undefined ? { organization_id: org } : {}),
    ...(input.isBanned !== undefined ? { is_banned: input.isBanned ? 1 : 0 } : {}),
  };
  return deps.db
    .updateTable('customers')
    .set({ ...patch, updated_at: deps.clock.now() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
