import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Customer } from '../../db/schema.ts';
import { notFound } from '../../lib/errors.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { visibleTo } from '../tickets/tickets.list.service.ts';

// Who may see and change which customers.
//
// A customer's organization and address decide which tickets they read in
// the portal (an organization that shares tickets shows them every
// member's), so moving a customer or changing their address can hand them
// tickets of any department. That is for admins, the system (API keys
// without an agent) and agents an admin trusted with "manage customers".
// Every other agent sees, reads and edits (name, phone) only the customers
// of tickets they may view — as requester or collaborator — so one
// department's agent cannot browse the others' customers. Phone intake still
// finds a caller by their complete address (customers.service.ts).

export const mayManageCustomers = (actor: Actor): boolean =>
  actor.kind === 'system' || (actor.kind === 'agent' && (actor.role === 'admin' || actor.manageCustomers));

/**
 * Row filter over customers (`table` names the customers' rows: the table or
 * a CTE of them) for what the actor may see; undefined when they see every
 * customer. Two EXISTS probes per customer row, each an index lookup
 * (tickets_requester, ticket_collaborators_customer) and then the tickets of
 * that customer: the cost grows with the customers read and their tickets,
 * not with the desk. An agent who sees almost nothing pays most, reading
 * every customer to find none (docs/PERFORMANCE.md).
 */
export function customersVisibleTo(actor: Actor, table = 'customers'): Expression<SqlBool> | undefined {
  if (mayManageCustomers(actor)) return undefined;
  if (actor.kind !== 'agent') return sql<SqlBool>`1 = 0`;
  const seen = visibleTo(actor);
  const id = sql.ref(`${table}.id`);
  // `limit 1 offset 0` keeps PostgreSQL from turning each EXISTS into a
  // hashed subplan, which reads every visible ticket before the first
  // customer; probed per row, a page of 50 costs 50-odd index lookups.
  return sql<SqlBool>`(exists (select 1 from tickets
      where tickets.requester_id = ${id} and ${seen} limit 1 offset 0)
    or exists (select 1 from ticket_collaborators
      inner join tickets on tickets.id = ticket_collaborators.ticket_id
      where ticket_collaborators.customer_id = ${id} and ${seen} limit 1 offset 0))`;
}

/** The customer, if the actor may see them; 404 `customer_not_found` otherwise (as for a missing one). */
export async function visibleCustomer(db: Db, actor: Actor, id: number): Promise<Customer> {
  let q = db.selectFrom('customers').selectAll().where('customers.id', '=', id);
  const scope = customersVisibleTo(actor);
  if (scope) q = q.where(scope);
  const c = await q.executeTakeFirst();
  if (!c) throw notFound('customer');
  return c;
}
