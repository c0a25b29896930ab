import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Customer } from '../../db/schema.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { visibleTo } from '../tickets/tickets.list.service.ts';
import { normalizeEmail } from './customers.repository.ts';
import { mayManageCustomers } from './customers.policy.ts';

// customers as one actor may see them: the scope (customers.policy.ts says
// who sees which) as a row filter, and the staff's list and search.

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

/** The customer, if the actor may see them. */
export function findVisibleCustomer(db: Db, actor: Actor, id: number): Promise<Customer | undefined> {
  let q = db.selectFrom('customers').selectAll().where('customers.id', '=', id);
  const scope = customersVisibleTo(actor);
  if (scope) q = q.where(scope);
  return q.executeTakeFirst();
}

export interface CustomerSearch {
  /** A prefix of the address or a part of the name. */
  q?: string | undefined;
  organization?: number | undefined;
  /** Ids above this one (keyset paging). */
  afterId?: number | undefined;
  limit: number;
}

/**
 * A page of the customers the actor may see, in id order. With a search, the
 * matches are materialized before the scope is applied: PostgreSQL otherwise
 * costs the scope's EXISTS for every customer, and past its JIT threshold
 * spends half a second compiling a query that runs in a tenth. `alsoEmail`
 * lets one complete address through the scope (a caller phone intake knows).
 */
export function searchCustomers(db: Db, actor: Actor, s: CustomerSearch, alsoEmail?: string) {
  let q = db.selectFrom('customers').selectAll();
  if (s.q) {
    const like = `%${s.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where(
      sql<SqlBool>`(email like ${`${normalizeEmail(s.q)}%`} or lower(name) like ${like} escape '\\')`,
    );
  }
  if (s.organization) q = q.where('organization_id', '=', s.organization);
  if (s.afterId !== undefined) q = q.where('id', '>', s.afterId);
  if (s.q === undefined)
    return q
      .where((eb) => customersVisibleTo(actor) ?? eb.lit(true))
      .orderBy('id')
      .limit(s.limit)
      .execute();
  const scope = customersVisibleTo(actor, 'matches');
  if (!scope) return q.orderBy('id').limit(s.limit).execute();
  return db
    .with(
      (cte) => cte('matches').materialized(),
      () => q,
    )
    .selectFrom('matches')
    .selectAll()
    .where(alsoEmail ? sql<SqlBool>`(${scope} or matches.email = ${normalizeEmail(alsoEmail)})` : scope)
    .orderBy('id')
    .limit(s.limit)
    .execute();
}
