import { z } from 'zod';
import type { Customer } from '../../db/schema.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { IdOrName } from '../../contract/common.contract.ts';
import {
  CustomerQuery,
  CustomerUpdate,
  NewCustomer,
  type CustomerOut,
} from '../../contract/directory.contract.ts';
import { Email } from '../../contract/email.contract.ts';
import { customerScope, mayBan, mayManageCustomers } from './customers.policy.ts';
import * as customers from './customers.repository.ts';
import { findCustomerIn, searchCustomers } from './customers.search.repository.ts';
import { isoText } from '../../contract/instant.contract.ts';

// Customers as staff manage them (phone intake creates them; admins ban).
// Lists are keyset-paged by id so page 500 costs what page 1 does. Who sees
// and changes whom: customers.policy.ts. An address is changed only through
// a confirmation mailed to the new one (auth/accounts.service.ts).

export const presentCustomer = (c: Customer): CustomerOut => ({
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
 * Customers the actor may see (customers.policy.ts), optionally searched. A
 * search for a complete address also finds that customer when the agent has
 * no ticket of theirs: phone intake must find a known caller by the address
 * they give, while browsing and partial searches stay within the agent's
 * tickets. The one extra row tells the agent no more than opening a ticket
 * for that address would.
 */
export async function listCustomers(deps: Deps, actor: Actor, raw: unknown) {
  const input = parseInput(CustomerQuery, raw);
  if (input.cursor !== undefined && !/^\d+$/.test(input.cursor))
    throw invalid('invalid_cursor', 'The cursor is not one this list handed out');
  const whole = input.q !== undefined && Email.safeParse(input.q).success;
  const rows = await searchCustomers(
    deps.db,
    customerScope(actor),
    {
      q: input.q,
      organization: input.organization,
      afterId: input.cursor === undefined ? undefined : Number(input.cursor),
      limit: input.limit + 1,
    },
    whole ? input.q : undefined,
  );
  const items = rows.slice(0, input.limit);
  return {
    items: items.map(presentCustomer),
    nextCursor: rows.length > input.limit ? String(items[items.length - 1]!.id) : null,
  };
}

/** One customer the actor may see; 404 `customer_not_found` for one they may not, as for a missing one. */
export async function getCustomer(deps: Deps, actor: Actor, id: number): Promise<Customer> {
  const c = await findCustomerIn(deps.db, customerScope(actor), id);
  if (!c) throw notFound('customer');
  return c;
}

async function organizationId(deps: Deps, ref: z.output<typeof IdOrName> | null | undefined) {
  if (ref === undefined || ref === null) return ref;
  const org = await customers.findOrganization(deps.db, ref);
  if (!org) throw notFound('organization');
  return org.id;
}

const mayNotMove = () =>
  forbidden("Only admins and agents who manage customers may change a customer's organization");

export async function createCustomer(deps: Deps, actor: Actor, raw: unknown): Promise<Customer> {
  const input = parseInput(NewCustomer, raw);
  if (input.organization !== undefined && !mayManageCustomers(actor)) throw mayNotMove();
  if (await customers.findCustomerByEmail(deps.db, input.email))
    throw new AppError('customer_exists', 409, `A customer with the address ${input.email} exists`);
  const org = await organizationId(deps, input.organization);
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const c = await customers.findOrCreateCustomer(
      trx,
      { email: input.email, name: input.name, phone: input.phone },
      now,
    );
    if (org === undefined) return c;
    return customers.updateCustomer(trx, c.id, { organization_id: org });
  });
}

export async function updateCustomer(deps: Deps, actor: Actor, id: number, raw: unknown): Promise<Customer> {
  const input = parseInput(CustomerUpdate, raw);
  const current = await getCustomer(deps, actor, id);
  if (input.isBanned !== undefined && !mayBan(actor))
    throw new AppError('forbidden', 403, 'Only administrators may ban');
  const org = await organizationId(deps, input.organization);
  // Sending the organization the customer already has (a whole form) is no move.
  if (org !== undefined && org !== current.organization_id && !mayManageCustomers(actor)) throw mayNotMove();
  return customers.updateCustomer(deps.db, id, {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
    ...(org !== undefined ? { organization_id: org } : {}),
    ...(input.isBanned !== undefined ? { is_banned: input.isBanned ? 1 : 0 } : {}),
    updated_at: deps.clock.now(),
  });
}
