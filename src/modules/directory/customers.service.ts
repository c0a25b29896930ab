import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Customer } from '../../db/schema.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { Email, PersonName, Ref } from '../tickets/tickets.schemas.ts';
import { findCustomerByEmail, findOrCreateCustomer, normalizeEmail } from './customers.repository.ts';
import { isoText } from '../../lib/instant.ts';

// Customers as staff manage them (phone intake creates them; admins ban).
// Lists are keyset-paged by id so page 500 costs what page 1 does.

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
  organization: Ref.optional(),
});
export const CustomerUpdate = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
  phone: z.string().trim().max(32).nullable().optional(),
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

export async function listCustomers(deps: Deps, raw: unknown) {
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
  const rows = await q
    .orderBy('id')
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit);
  return {
    items: items.map(presentCustomer),
    nextCursor: rows.length > input.limit ? String(items[items.length - 1]!.id) : null,
  };
}

export async function getCustomer(deps: Deps, id: number): Promise<Customer> {
  const c = await deps.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw notFound('customer');
  return c;
}

async function organizationId(deps: Deps, ref: z.output<typeof Ref> | null | undefined) {
  if (ref === undefined || ref === null) return ref;
  const q = deps.db.selectFrom('organizations').select('id');
  const org = await (
    typeof ref === 'number' || /^\d+$/.test(ref) ? q.where('id', '=', Number(ref)) : q.where('name', '=', ref)
  ).executeTakeFirst();
  if (!org) throw notFound('organization');
  return org.id;
}

export async function createCustomer(deps: Deps, raw: unknown): Promise<Customer> {
  const input = parseInput(NewCustomer, raw);
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
  if (input.isBanned !== undefined && !isAdmin)
    throw new AppError('forbidden', 403, 'Only administrators may ban');
  await getCustomer(deps, id);
  const org = await organizationId(deps, input.organization);
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
