import { sql, type SelectQueryBuilder } from 'kysely';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import type { Db } from '../../db/database.ts';
import type { Database, Ticket } from '../../db/schema.ts';
import { invalid } from '../../lib/errors.ts';

/**
 * The agent queues. Each is served by one partial index in display order, so
 * a page is an index range scan of `limit` rows whatever the total number of
 * tickets (osTicket's queue query grows with the square of the queue).
 *
 * - Queues over several departments run one bounded query per department and
 *   merge the sorted pages, instead of one query that must sort them all.
 * - Paging is by keyset (cursor), never by OFFSET.
 */
export type QueueName = 'open' | 'unassigned' | 'mine' | 'team' | 'awaiting' | 'resolved' | 'closed';

export interface QueueQuery {
  queue: QueueName;
  /** Departments the queue covers ('open', 'unassigned', 'awaiting', 'resolved', 'closed'). */
  departmentIds?: readonly number[];
  /** For 'mine'. */
  agentId?: number;
  /** For 'team'. */
  teamId?: number;
  cursor?: string | null;
  limit?: number;
}

export type QueueRow = Ticket & { requester_name: string; requester_email: string };

export interface QueuePage {
  items: QueueRow[];
  nextCursor: string | null;
}

type Order = 'priority' | 'recent';
type Key = [number, number, number] | [number, number];
type Q = SelectQueryBuilder<Database, 'tickets', object>;

const ORDER: Record<QueueName, Order> = {
  open: 'priority',
  unassigned: 'priority',
  mine: 'priority',
  team: 'priority',
  awaiting: 'recent',
  resolved: 'recent',
  closed: 'recent',
};

// Written as literals so the partial indexes' predicates match on both planners.
const FILTER: Record<QueueName, ReturnType<typeof sql<boolean>>> = {
  open: sql<boolean>`tickets.state = 'open'`,
  unassigned: sql<boolean>`tickets.state = 'open' and tickets.assignee_id is null`,
  mine: sql<boolean>`tickets.state in ('open', 'pending')`,
  team: sql<boolean>`tickets.state in ('open', 'pending')`,
  awaiting: sql<boolean>`tickets.state = 'pending'`,
  resolved: sql<boolean>`tickets.state = 'resolved'`,
  closed: sql<boolean>`tickets.state = 'closed'`,
};

export async function listQueue(db: Db, query: QueueQuery): Promise<QueuePage> {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const order = ORDER[query.queue];
  const after = query.cursor ? (decodeCursor(query.cursor, order === 'priority' ? 3 : 2) as Key) : null;
  const scopes = scopesOf(query);
  const pages = await Promise.all(
    scopes.map((scope) => pageOf(db, query.queue, scope, order, after, limit + 1)),
  );
  const merged = pages.flat().sort(order === 'priority' ? byPriority : byRecent);
  const items = merged.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: merged.length > limit && last ? encodeCursor(keyOf(last, order)) : null };
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

async function pageOf(
  db: Db,
  queue: QueueName,
  scope: (qb: Q) => Q,
  order: Order,
  after: Key | null,
  limit: number,
) {
  const base = () =>
    scope(db.selectFrom('tickets').where(FILTER[queue]))
      .innerJoin('customers', 'customers.id', 'tickets.requester_id')
      .selectAll('tickets')
      .select(['customers.name as requester_name', 'customers.email as requester_email']);
  if (order === 'recent') {
    let q = base();
    if (after) q = q.where(sql<boolean>`(tickets.updated_at, tickets.id) < (${after[0]}, ${after[1]})`);
    return q.orderBy('tickets.updated_at', 'desc').orderBy('tickets.id', 'desc').limit(limit).execute();
  }
  const sorted = (q: ReturnType<typeof base>) =>
    q
      .orderBy('tickets.priority_level', 'desc')
      .orderBy('tickets.created_at')
      .orderBy('tickets.id')
      .limit(limit);
  if (!after) return sorted(base()).execute();
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

const byPriority = (a: Ticket, b: Ticket) =>
  b.priority_level - a.priority_level || a.created_at - b.created_at || a.id - b.id;
const byRecent = (a: Ticket, b: Ticket) => b.updated_at - a.updated_at || b.id - a.id;

const keyOf = (t: Ticket, order: Order): Key =>
  order === 'priority' ? [t.priority_level, t.created_at, t.id] : [t.updated_at, t.id];
