import type { Db } from '../../db/database.ts';
import { referenceOf, type Deps } from '../../lib/deps.ts';
import { AppError, invalid, unknownFilter } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { normalizeEmail } from '../directory/customers.repository.ts';
import * as dir from '../directory/directory.repository.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { countVisibleTickets, listVisibleTickets, type TicketFilter } from './tickets.list.repository.ts';
import { listQueue, type QueueQuery, type QueueRow } from './tickets.queues.repository.ts';
import { ListTickets, type ListTicketsInput } from '../../contract/tickets.contract.ts';
import { catchUpSearchIndexFully } from './tickets.search-index.repository.ts';
import {
  BOUNDED_SORT_MAX,
  decodeSortCursor,
  encodeSortCursor,
  FILTER_SORTS,
  keyOf,
  partsOf,
  sortNotAvailable,
} from './tickets.sort.query.ts';

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
  const filter = await filterOf(deps.db, ref, actor, input);
  const after = input.cursor ? decodeSortCursor(input.cursor, sort, parts.length) : null;
  const rows = await listVisibleTickets(deps.db, actor, filter, { sort, after, limit: input.limit });
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > input.limit && last ? encodeSortCursor(sort, keyOf(parts, last)) : null,
  };
}

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
  const filter = await filterOf(deps.db, await referenceOf(deps), actor, input);
  const n = await countVisibleTickets(deps.db, actor, filter, cap);
  return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
}

/** The request's filters, each reference resolved (an unknown one is refused) and each allowed for the actor. */
async function filterOf(db: Db, ref: ReferenceSnapshot, actor: Actor, input: Input): Promise<TicketFilter> {
  const filter: TicketFilter = {};
  const isStaff = actor.kind !== 'customer';
  if (input.state) filter.states = input.state;
  if (input.department !== undefined) {
    const d = ref.department(input.department);
    if (!d) throw unknownFilter('department', input.department);
    filter.departmentId = d.id;
  }
  if (input.priority !== undefined) {
    const p = ref.priority(input.priority);
    if (!p) throw unknownFilter('priority', input.priority);
    filter.priorityId = p.id;
  }
  if (input.status !== undefined) {
    const s = await dir.findStatus(db, input.status);
    if (!s) throw unknownFilter('status', input.status);
    filter.statusId = s.id;
  }
  if (input.team !== undefined) {
    const t = ref.team(input.team);
    if (!t || !isStaff) throw unknownFilter('team', input.team);
    filter.teamId = t.id;
  }
  if (input.assignee !== undefined) filter.assigneeId = await assigneeFilter(db, actor, input.assignee);
  if (input.requester !== undefined) filter.requesterEmail = normalizeEmail(input.requester);
  if (input.scope !== undefined) filter.scope = customerScope(actor, input.scope);
  if (input.q !== undefined) {
    // "#100234" or "DL-100234" is a ticket number and nothing else; bare digits may also be text ("error 500").
    const number = /^#\S+$|^[A-Za-z]+-\d+$/.test(input.q) ? input.q.replace(/^#/, '') : null;
    const digits = /^\d+$/.test(input.q) ? input.q : null;
    if (number) filter.number = number;
    else filter.text = { q: input.q, includeNotes: isStaff, orNumber: digits };
  }
  return filter;
}

/** The portal's two lists; the visible set is already limited to what the customer may see. */
function customerScope(actor: Actor, scope: 'mine' | 'organization'): TicketFilter['scope'] {
  if (actor.kind !== 'customer') throw invalid('filter_not_allowed', 'scope is a customer filter');
  if (scope === 'mine') return { customerId: actor.id };
  if (!actor.seesOrganization || actor.organizationId === null)
    throw new AppError('forbidden', 403, "Your organization's tickets are not shared with you");
  return { organizationId: actor.organizationId };
}

/** The assignee filter as an agent id (null: unassigned). */
async function assigneeFilter(db: Db, actor: Actor, idOrName: string | number): Promise<number | null> {
  if (actor.kind === 'customer') throw invalid('filter_not_allowed', 'Customers cannot filter by assignee');
  if (idOrName === 'none') return null;
  if (idOrName === 'me') {
    if (actor.kind !== 'agent') throw invalid('filter_not_allowed', '"me" needs a signed-in agent');
    return actor.id;
  }
  const agent = await dir.findAgent(db, idOrName);
  if (!agent) throw unknownFilter('assignee', idOrName);
  return agent.id;
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
