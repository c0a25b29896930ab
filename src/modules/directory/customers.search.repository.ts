import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Customer } from '../../db/schema.ts';
import { visibleTo } from '../tickets/tickets.list.repository.ts';
import type { CustomerScope } from './customers.policy.ts';
import { normalizeEmail } from './customers.repository.ts';

// customers within a scope (customers.policy.ts says who sees which): the
// scope as a row filter, and the staff's list and search.

/**
 * Row filter over customers (`table` names the customers' rows: the table or
 * a CTE of them) for a scope; undefined for every customer. Two EXISTS probes
 * per customer row, each an index lookup (tickets_requester,
 * ticket_collaborators_customer) and then the tickets of that customer: the cost grows with the customers read and their tickets,
 * not with the desk. An agent who sees almost nothing pays most, reading
 * every customer to find none (docs/PERFORMANCE.md).
 */
function customersIn(scope: CustomerScope, table = 'customers'): Expression<SqlBool> | undefined {
  if (scope.kind === 'all') return undefined;
  if (scope.kind === 'none') return sql<SqlBool>`1 = 0`;
  const seen = visibleTo(scope.agent);
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

/** The customer, if in the scope. */
export function findCustomerIn(db: Db, scope: CustomerScope, id: number): Promise<Customer | undefined> {
  let q = db.selectFrom('customers').selectAll().where('customers.id', '=', id);
  const filter = customersIn(scope);
  if (filter) q = q.where(filter);
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
 * A page of the customers in the scope, in id order. With a search, the
 * matches are materialized before the scope is applied: PostgreSQL otherwise
 * costs the scope's EXISTS for every customer, and past its JIT threshold
 * spends half a second compiling a query that runs in a tenth. `alsoEmail`
 * lets one complete address through the scope (a caller phone intake knows).
 */
export function searchCustomers(db: Db, scope: CustomerScope, s: CustomerSearch, alsoEmail?: string) {
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
      .where((eb) => customersIn(scope) ?? eb.lit(true))
      .orderBy('id')
      .limit(s.limit)
      .execute();
  const filter = customersIn(scope, 'matches');
  if (!filter) return q.orderBy('id').limit(s.limit).execute();
  return db
    .with(
      (cte) => cte('matches').materialized(),
      () => q,
    )
    .selectFrom('matches')
    .selectAll()
    .where(alsoEmail ? sql<SqlBool>`(${filter} or matches.email = ${normalizeEmail(alsoEmail)})` : filter)
    .orderBy('id')
    .limit(s.limit)
    .execute();
}
