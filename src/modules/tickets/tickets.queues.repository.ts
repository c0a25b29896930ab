import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, Ticket } from '../../db/schema.ts';
import { invalid } from '../../lib/errors.ts';
import {
  afterKey,
  BOUNDED_SORT_MAX,
  compareBy,
  decodeSortCursor,
  encodeSortCursor,
  keyOf,
  partsOf,
  sortNotAvailable,
} from './tickets.sort.query.ts';
import type { SortKey } from '../../contract/tickets.contract.ts';

/**
 * The agent queues. Each is served by one partial index in display order, so
 * a page is an index range scan of `limit` rows whatever the total number of
 * tickets (osTicket's queue query grows with the square of the queue).
 *
 * - Queues over several departments run one bounded query per department and
 *   merge the sorted pages, instead of one query that must sort them all.
 * - Paging is by keyset (cursor), never by OFFSET.
 * - Sorts no index serves (see INDEXED) sort the queue's rows, so they are
 *   offered only while the queue holds at most BOUNDED_SORT_MAX tickets.
 */
export type QueueName =
  'open' | 'unassigned' | 'mine' | 'team' | 'awaiting' | 'overdue' | 'resolved' | 'closed';

export interface QueueQuery {
  queue: QueueName;
  /** Departments the queue covers (every queue but 'mine' and 'team'). */
  departmentIds?: readonly number[];
  /** For 'mine'. */
  agentId?: number;
  /** For 'team'. */
  teamId?: number;
  /** Defaults to the queue's own order (DEFAULT_SORT). */
  sort?: SortKey;
  /** For 'overdue': tickets due before this instant (ms). */
  now?: number;
  cursor?: string | null;
  limit?: number;
}

export type QueueRow = Ticket & { requester_name: string; requester_email: string };

export interface QueuePage {
  items: QueueRow[];
  nextCursor: string | null;
}

type Q = SelectQueryBuilder<Database, 'tickets', object>;

export const DEFAULT_SORT: Record<QueueName, SortKey> = {
  open: 'priority',
  unassigned: 'priority',
  mine: 'priority',
  team: 'priority',
  awaiting: '-updated',
  overdue: 'due',
  resolved: '-updated',
  closed: '-updated',
};

/**
 * Sorts an index serves per queue, without a sort step (tested with EXPLAIN;
 * docs/ARCHITECTURE.md); other sorts read the queue's rows and sort them.
 */
export const INDEXED: Record<QueueName, readonly SortKey[]> = {
  open: ['priority', '-updated', 'updated'],
  unassigned: ['priority'],
  mine: ['priority'],
  team: ['priority'],
  awaiting: ['-updated', 'updated'],
  overdue: ['due'],
  resolved: ['-updated', 'updated'],
  closed: ['-updated', 'updated'],
};

// Written as literals so the partial indexes' predicates match on both planners.
const FILTER: Record<Exclude<QueueName, 'overdue'>, ReturnType<typeof sql<boolean>>> = {
  open: sql<boolean>`tickets.state = 'open'`,
  unassigned: sql<boolean>`tickets.state = 'open' and tickets.assignee_id is null`,
  mine: sql<boolean>`tickets.state in ('open', 'pending')`,
  team: sql<boolean>`tickets.state in ('open', 'pending')`,
  awaiting: sql<boolean>`tickets.state = 'pending'`,
  resolved: sql<boolean>`tickets.state = 'resolved'`,
  closed: sql<boolean>`tickets.state = 'closed'`,
};

function filterOf(q: QueueQuery) {
  if (q.queue !== 'overdue') return FILTER[q.queue];
  if (q.now === undefined) throw invalid('queue_needs_time', 'The overdue queue needs the current time');
  return sql<boolean>`tickets.state in ('open', 'pending') and tickets.sla_due_at is not null and tickets.sla_due_at < ${q.now}`;
}

export async function listQueue(db: Db, query: QueueQuery): Promise<QueuePage> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const sort = query.sort ?? DEFAULT_SORT[query.queue];
  const parts = partsOf(sort, query.queue === 'overdue');
  const after = query.cursor ? decodeSortCursor(query.cursor, sort, parts.length) : null;
  if (!INDEXED[query.queue].includes(sort) && (await countQueue(db, query, BOUNDED_SORT_MAX)).capped)
    throw sortNotAvailable(sort);
  const pages = await Promise.all(
    scopesOf(query).map((scope) => pageOf(db, query, scope, sort, after, limit + 1)),
  );
  const merged = pages.flat().sort(compareBy(parts));
  const items = merged.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: merged.length > limit && last ? encodeSortCursor(sort, keyOf(parts, last)) : null,
  };
}

/**
 * How many tickets a queue holds, counting at most `cap` rows through the
 * queue's index (one department after another, within one budget), so a
 * count costs the same at a thousand tickets as at a million.
 */
export async function countQueue(
  db: Db,
  query: QueueQuery,
  cap: number,
): Promise<{ count: number; capped: boolean }> {
  let seen = 0;
  for (const scope of scopesOf(query)) {
    const inner = scope(db.selectFrom('tickets').where(filterOf(query)))
      .select(sql<number>`1`.as('one'))
      .limit(cap + 1 - seen);
    const row = await db
      .selectFrom(inner.as('q'))
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    seen += Number(row.n);
    if (seen > cap) return { count: cap, capped: true };
  }
  return { count: seen, capped: false };
}

/** One scope per index range: a department, the agent, or the team. */
function scopesOf(q: QueueQuery): ((qb: Q) => Q)[] {
  if (q.queue === 'mine') {
    if (q.agentId === undefined) throw invalid('queue_needs_agent', 'The "mine" queue needs an agent');
    return [(qb) => qb.where('tickets.assignee_id', '=', q.agentId!)];
  }
  if (q.queue === 'team') {
    if (q.teamId === undefined) throw invalid('queue_needs_team', 'The team queue needs a team');
    return [(qb) => qb.where('tickets.team_id', '=', q.teamId!)];
  }
  return [...new Set(q.departmentIds ?? [])].map(
    (id) => (qb: Q) => qb.where('tickets.department_id', '=', id),
  );
}

/** The first page of the queue's first scope (department, agent or team) as a query: what EXPLAIN tests read. */
export function firstPageQuery(db: Db, query: QueueQuery) {
  const sort = query.sort ?? DEFAULT_SORT[query.queue];
  const { base, sorted } = queryOf(db, query, scopesOf(query)[0]!, sort, query.limit ?? 50);
  return sorted(base());
}

function queryOf(db: Db, query: QueueQuery, scope: (qb: Q) => Q, sort: SortKey, limit: number) {
  const parts = partsOf(sort, query.queue === 'overdue');
  const base = () =>
    scope(db.selectFrom('tickets').where(filterOf(query)))
      .innerJoin('customers', 'customers.id', 'tickets.requester_id')
      .selectAll('tickets')
      .select(['customers.name as requester_name', 'customers.email as requester_email']);
  const sorted = (q: ReturnType<typeof base>) => {
    for (const p of parts) q = q.orderBy(p.expr, p.dir);
    return q.limit(limit);
  };
  return { parts, base, sorted };
}

async function pageOf(
  db: Db,
  query: QueueQuery,
  scope: (qb: Q) => Q,
  sort: SortKey,
  after: number[] | null,
  limit: number,
) {
  const { parts, base, sorted } = queryOf(db, query, scope, sort, limit);
  if (!after) return sorted(base()).execute();
  if (sort !== 'priority') return sorted(base().where(afterKey(parts, after))).execute();
  // Mixed sort directions defeat a row-value range, so page in two index ranges:
  // the rest of the cursor's priority level, then the lower levels.
  const [level, created, id] = after as [number, number, number];
  const rest = await sorted(
    base()
      .where('tickets.priority_level', '=', level)
      .where(sql<boolean>`(tickets.created_at, tickets.id) > (${created}, ${id})`),
  ).execute();
  if (rest.length >= limit) return rest;
  const lower = await sorted(base().where('tickets.priority_level', '<', level))
    .limit(limit - rest.length)
    .execute();
  return [...rest, ...lower];
}
