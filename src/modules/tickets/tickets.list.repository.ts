import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { textMatch } from './tickets.search.repository.ts';
import type { SortKey } from '../../contract/tickets.contract.ts';
import { afterKey, partsOf } from './tickets.sort.query.ts';

// The filter lists of GET /tickets as queries: the tickets an actor may see,
// narrowed by a filter whose references tickets.list.service.ts has already
// resolved to ids (and refused when unknown).

/** A resolved filter: every field narrows the visible tickets further. */
export interface TicketFilter {
  states?: string[];
  departmentId?: number;
  priorityId?: number;
  statusId?: number;
  teamId?: number;
  /** null: unassigned. */
  assigneeId?: number | null;
  requesterEmail?: string;
  /** The portal's lists: tickets the customer raised or follows, or their organization's. */
  scope?: { customerId: number } | { organizationId: number };
  /** Exactly this ticket number, and nothing else. */
  number?: string;
  /** Words in the subject or thread (notes for staff only), or a ticket number made of digits. */
  text?: { q: string; includeNotes: boolean; orNumber: string | null };
}

/**
 * The row-level form of tickets.policy.canView, so lists never hold what a
 * read would refuse. It names the `tickets` table: also usable inside an
 * EXISTS over tickets (customers.search.repository.ts).
 */
export function visibleTo(actor: Actor): Expression<SqlBool> {
  if (actor.kind === 'system' || (actor.kind === 'agent' && actor.role === 'admin'))
    return sql<SqlBool>`1 = 1`;
  if (actor.kind === 'customer') {
    const org =
      actor.seesOrganization && actor.organizationId !== null
        ? sql<SqlBool>` or tickets.organization_id = ${actor.organizationId}`
        : sql``;
    return sql<SqlBool>`(tickets.requester_id = ${actor.id}${org} or tickets.id in
      (select ticket_id from ticket_collaborators where customer_id = ${actor.id}))`;
  }
  const depts = [...actor.departments].filter(([, p]) => p.has('view')).map(([id]) => id);
  const teams = [...actor.teams];
  return anyOf(
    [
      depts.length ? sql<SqlBool>`tickets.department_id in (${sql.join(depts)})` : null,
      teams.length ? sql<SqlBool>`tickets.team_id in (${sql.join(teams)})` : null,
      sql<SqlBool>`tickets.assignee_id = ${actor.id}`,
    ].filter((c) => c !== null),
  );
}

/** The visible tickets (with their requester) that match the filter. */
function matching(db: Db, actor: Actor, filter: TicketFilter) {
  let q = db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.requester_id')
    .selectAll('tickets')
    .select(['customers.name as requester_name', 'customers.email as requester_email'])
    .where(visibleTo(actor));
  for (const condition of conditionsOf(db, filter)) q = q.where(condition);
  return q;
}

/** One page in `sort` order after the cursor's key (a keyset, never OFFSET); `limit` + 1 rows tell if more follow. */
export function listVisibleTickets(
  db: Db,
  actor: Actor,
  filter: TicketFilter,
  page: { sort: SortKey; after: number[] | null; limit: number },
) {
  const parts = partsOf(page.sort);
  let q = matching(db, actor, filter);
  if (page.after) q = q.where(afterKey(parts, page.after));
  for (const p of parts) q = q.orderBy(p.expr, p.dir);
  return q.limit(page.limit + 1).execute();
}

/** How many visible tickets match, reading at most `cap` + 1 rows. */
export async function countVisibleTickets(
  db: Db,
  actor: Actor,
  filter: TicketFilter,
  cap: number,
): Promise<number> {
  const inner = matching(db, actor, filter)
    .clearSelect()
    .select(sql<number>`1`.as('one'))
    .limit(cap + 1);
  const row = await db
    .selectFrom(inner.as('m'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function conditionsOf(db: Db, f: TicketFilter): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  if (f.states) where.push(sql<SqlBool>`tickets.state in (${sql.join(f.states)})`);
  if (f.departmentId !== undefined) where.push(sql<SqlBool>`tickets.department_id = ${f.departmentId}`);
  if (f.priorityId !== undefined) where.push(sql<SqlBool>`tickets.priority_id = ${f.priorityId}`);
  if (f.statusId !== undefined) where.push(sql<SqlBool>`tickets.status_id = ${f.statusId}`);
  if (f.teamId !== undefined) where.push(sql<SqlBool>`tickets.team_id = ${f.teamId}`);
  if (f.assigneeId !== undefined)
    where.push(
      f.assigneeId === null
        ? sql<SqlBool>`tickets.assignee_id is null`
        : sql<SqlBool>`tickets.assignee_id = ${f.assigneeId}`,
    );
  if (f.requesterEmail !== undefined) where.push(sql<SqlBool>`customers.email = ${f.requesterEmail}`);
  if (f.scope && 'customerId' in f.scope)
    where.push(sql<SqlBool>`(tickets.requester_id = ${f.scope.customerId} or tickets.id in
      (select ticket_id from ticket_collaborators where customer_id = ${f.scope.customerId}))`);
  if (f.scope && 'organizationId' in f.scope)
    where.push(sql<SqlBool>`tickets.organization_id = ${f.scope.organizationId}`);
  if (f.number !== undefined) where.push(sql<SqlBool>`tickets.number = ${f.number}`);
  if (f.text) {
    const text = textMatch(db, f.text.q, { includeNotes: f.text.includeNotes });
    where.push(f.text.orNumber ? anyOf([sql<SqlBool>`tickets.number = ${f.text.orNumber}`, text]) : text);
  }
  return where;
}

const anyOf = (conds: Expression<SqlBool>[]) => sql<SqlBool>`(${sql.join(conds, sql` or `)})`;
