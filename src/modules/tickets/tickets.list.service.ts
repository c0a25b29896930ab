import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.ts';
import { referenceOf, type Deps } from '../../lib/deps.ts';
import { AppError, invalid, unknownFilter } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { normalizeEmail } from '../directory/customers.repository.ts';
import * as dir from '../directory/directory.repository.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { listQueue, type QueueQuery, type QueueRow } from './tickets.queues.ts';
import { ListTickets, type ListTicketsInput } from '../../contract/tickets.contract.ts';
import { textMatch } from './tickets.search.ts';
import { catchUpSearchIndexFully } from './tickets.search-index.ts';
import {
  afterKey,
  BOUNDED_SORT_MAX,
  decodeSortCursor,
  encodeSortCursor,
  FILTER_SORTS,
  keyOf,
  partsOf,
  sortNotAvailable,
} from './tickets.sort.ts';

export interface TicketPage {
  items: QueueRow[];
  nextCursor: string | null;
}

type Input = ReturnType<typeof ListTickets.parse>;

/**
 * Lists the tickets the actor may see. A named queue goes to the indexed
 * queue reader; otherwise filters and `q` narrow the visible set, newest
 * activity first, paged by a (updated_at, id) keyset cursor.
 */
export async function listTickets(deps: Deps, actor: Actor, raw: ListTicketsInput): Promise<TicketPage> {
  const input = parseInput(ListTickets, raw);
  const ref = await referenceOf(deps);
  // A search sees everything written before it, even what the background indexer has not reached.
  if (input.q !== undefined) await catchUpSearchIndexFully(deps.db);
  if (input.queue) return queuePage(deps.db, ref, actor, input, deps.clock.now());

  const sort = input.sort ?? '-updated';
  const parts = partsOf(sort);
  // Only the activity orders have an index; others sort a bounded set.
  if (!FILTER_SORTS.includes(sort)) {
    const { capped } = await countTickets(deps, actor, input, BOUNDED_SORT_MAX);
    if (capped) throw sortNotAvailable(sort);
  }
  let q = visibleTickets(deps.db, actor);
  for (const condition of await filtersOf(deps.db, ref, actor, input)) q = q.where(condition);
  if (input.cursor) q = q.where(afterKey(parts, decodeSortCursor(input.cursor, sort, parts.length)));
  for (const p of parts) q = q.orderBy(p.expr, p.dir);
  const rows = await q.limit(input.limit + 1).execute();
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > input.limit && last ? encodeSortCursor(sort, keyOf(parts, last)) : null,
  };
}

/** The tickets (with their requester) the actor may see. */
const visibleTickets = (db: Db, actor: Actor) =>
  db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.requester_id')
    .selectAll('tickets')
    .select(['customers.name as requester_name', 'customers.email as requester_email'])
    .where(visibleTo(actor));

/**
 * How many visible tickets match GET /tickets filters (a saved queue), reading
 * at most `cap` + 1 rows: `{count: cap, capped: true}` beyond.
 */
export async function countTickets(
  deps: Deps,
  actor: Actor,
  raw: ListTicketsInput,
  cap: number,
): Promise<{ count: number; capped: boolean }> {
  const input = parseInput(ListTickets, raw);
  if (input.q !== undefined) await catchUpSearchIndexFully(deps.db);
  let q = visibleTickets(deps.db, actor);
  for (const c of await filtersOf(deps.db, await referenceOf(deps), actor, input)) q = q.where(c);
  const inner = q
    .clearSelect()
    .select(sql<number>`1`.as('one'))
    .limit(cap + 1);
  const row = await deps.db
    .selectFrom(inner.as('m'))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
}

/**
 * The row-level form of tickets.policy.canView, so lists never hold what a
 * read would refuse. It names the `tickets` table: also usable inside an
 * EXISTS over tickets (customers.policy.ts).
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

async function filtersOf(db: Db, ref: ReferenceSnapshot, actor: Actor, input: Input) {
  const where: Expression<SqlBool>[] = [];
  const isStaff = actor.kind !== 'customer';
  if (input.state) where.push(sql<SqlBool>`tickets.state in (${sql.join(input.state)})`);
  if (input.department !== undefined) {
    const d = ref.department(input.department);
    if (!d) throw unknownFilter('department', input.department);
    where.push(sql<SqlBool>`tickets.department_id = ${d.id}`);
  }
  if (input.priority !== undefined) {
    const p = ref.priority(input.priority);
    if (!p) throw unknownFilter('priority', input.priority);
    where.push(sql<SqlBool>`tickets.priority_id = ${p.id}`);
  }
  if (input.status !== undefined) {
    const s = await dir.findStatus(db, input.status);
    if (!s) throw unknownFilter('status', input.status);
    where.push(sql<SqlBool>`tickets.status_id = ${s.id}`);
  }
  if (input.team !== undefined) {
    const t = ref.team(input.team);
    if (!t || !isStaff) throw unknownFilter('team', input.team);
    where.push(sql<SqlBool>`tickets.team_id = ${t.id}`);
  }
  if (input.assignee !== undefined) where.push(await assigneeFilter(db, actor, input.assignee));
  if (input.requester !== undefined) {
    where.push(sql<SqlBool>`customers.email = ${normalizeEmail(input.requester)}`);
  }
  if (input.scope !== undefined) where.push(customerScope(actor, input.scope));
  if (input.q !== undefined) {
    // "#100234" or "DL-100234" is a ticket number and nothing else; bare digits may also be text ("error 500").
    const number = /^#\S+$|^[A-Za-z]+-\d+$/.test(input.q) ? input.q.replace(/^#/, '') : null;
    const digits = /^\d+$/.test(input.q) ? input.q : null;
    if (number) where.push(sql<SqlBool>`tickets.number = ${number}`);
    else {
      const text = textMatch(db, input.q, { includeNotes: isStaff });
      where.push(digits ? anyOf([sql<SqlBool>`tickets.number = ${digits}`, text]) : text);
    }
  }
  return where;
}

/** The portal's two lists; visibleTo has already limited the rows to what the customer may see. */
function customerScope(actor: Actor, scope: 'mine' | 'organization'): Expression<SqlBool> {
  if (actor.kind !== 'customer') throw invalid('filter_not_allowed', 'scope is a customer filter');
  if (scope === 'mine') {
    return sql<SqlBool>`(tickets.requester_id = ${actor.id} or tickets.id in
      (select ticket_id from ticket_collaborators where customer_id = ${actor.id}))`;
  }
  if (!actor.seesOrganization || actor.organizationId === null)
    throw new AppError('forbidden', 403, "Your organization's tickets are not shared with you");
  return sql<SqlBool>`tickets.organization_id = ${actor.organizationId}`;
}

async function assigneeFilter(db: Db, actor: Actor, ref: string | number): Promise<Expression<SqlBool>> {
  if (actor.kind === 'customer') throw invalid('filter_not_allowed', 'Customers cannot filter by assignee');
  if (ref === 'none') return sql<SqlBool>`tickets.assignee_id is null`;
  if (ref === 'me') {
    if (actor.kind !== 'agent') throw invalid('filter_not_allowed', '"me" needs a signed-in agent');
    return sql<SqlBool>`tickets.assignee_id = ${actor.id}`;
  }
  const agent = await dir.findAgent(db, ref);
  if (!agent) throw unknownFilter('assignee', ref);
  return sql<SqlBool>`tickets.assignee_id = ${agent.id}`;
}

/** Named queues use the partial indexes: one bounded range per department the agent may view. */
async function queuePage(
  db: Db,
  ref: ReferenceSnapshot,
  actor: Actor,
  input: Input,
  now: number,
): Promise<TicketPage> {
  if (actor.kind === 'customer') throw new AppError('forbidden', 403, 'Queues are for staff');
  let departmentIds = viewableDepartments(ref, actor);
  if (input.department !== undefined) {
    const d = ref.department(input.department);
    if (!d || !departmentIds.includes(d.id)) throw unknownFilter('department', input.department);
    departmentIds = [d.id];
  }
  const team = input.team !== undefined ? ref.team(input.team) : undefined;
  if (input.queue === 'team') {
    const mayView = team && (actor.kind === 'system' || actor.role === 'admin' || actor.teams.has(team.id));
    if (input.team === undefined) throw invalid('queue_needs_team', 'The team queue needs a team');
    if (!mayView) throw unknownFilter('team', input.team);
  }
  if (input.queue === 'mine' && actor.kind !== 'agent')
    throw invalid('queue_needs_agent', '"mine" needs an agent');
  return listQueue(db, {
    queue: input.queue!,
    departmentIds,
    ...(actor.kind === 'agent' ? { agentId: actor.id } : {}),
    ...(team ? { teamId: team.id } : {}),
    ...(input.sort ? { sort: input.sort } : {}),
    ...(input.cursor ? { cursor: input.cursor } : {}),
    now,
    limit: input.limit,
  } satisfies QueueQuery);
}

/** The departments whose queues a staff member sees (all of them for admins and the system). */
export function viewableDepartments(ref: ReferenceSnapshot, actor: Actor): number[] {
  if (actor.kind === 'customer') return [];
  if (actor.kind === 'system' || actor.role === 'admin') return ref.departments.map((d) => d.id);
  return [...actor.departments].filter(([, p]) => p.has('view')).map(([id]) => id);
}

const anyOf = (conds: Expression<SqlBool>[]) => sql<SqlBool>`(${sql.join(conds, sql` or `)})`;
