import { Rand, agentBody, cumulative, customerBody, customerName, noteBody, subject } from './bulk-text.ts';

// Tickets, threads and events for the bulk seeder as plain rows (column order
// below), so the SQLite writer can bind them positionally and the PostgreSQL
// writer can turn them into one array per column.

export type Cell = number | string | null;
export type Row = Cell[];
export type StatusKey = 'open' | 'in_progress' | 'awaiting_customer' | 'resolved' | 'closed';

export interface BulkTable {
  name: 'customers' | 'tickets' | 'thread_entries' | 'ticket_events';
  columns: readonly string[];
  /** Columns sent as text (everything else is an integer). */
  text: readonly string[];
}

export const CUSTOMERS: BulkTable = {
  name: 'customers',
  columns: ['id', 'email', 'name', 'created_at', 'updated_at'],
  text: ['email', 'name'],
};
export const TICKETS: BulkTable = {
  name: 'tickets',
  columns: [
    'id',
    'number',
    'subject',
    'source',
    'requester_id',
    'department_id',
    'help_topic_id',
    'priority_id',
    'priority_level',
    'status_id',
    'state',
    'team_id',
    'assignee_id',
    'sla_plan_id',
    'sla_due_at',
    'first_response_at',
    'last_message_at',
    'last_response_at',
    'resolved_at',
    'closed_at',
    'created_at',
    'updated_at',
  ],
  text: ['number', 'subject', 'source', 'state'],
};
export const ENTRIES: BulkTable = {
  name: 'thread_entries',
  columns: [
    'id',
    'ticket_id',
    'kind',
    'author_agent_id',
    'author_customer_id',
    'body',
    'source',
    'message_id',
    'created_at',
  ],
  text: ['kind', 'body', 'source', 'message_id'],
};
export const EVENTS: BulkTable = {
  name: 'ticket_events',
  columns: ['id', 'ticket_id', 'type', 'actor_type', 'actor_id', 'data', 'created_at'],
  text: ['type', 'actor_type', 'data'],
};

export interface Department {
  id: number;
  slaPlanId: number | null;
  agents: number[];
  topics: number[];
}

export interface Reference {
  departments: Department[];
  departmentWeights: number[];
  agents: Map<number, { name: string; teams: number[] }>;
  agentIds: number[];
  teams: number[];
  priorities: { id: number; level: number }[];
  priorityWeights: number[];
  statuses: Record<StatusKey, { id: number; state: string }>;
}

export interface GenContext {
  ref: Reference;
  /** Customer ids of the pool and their bulk index k (for names). */
  customerIds: number[];
  customerKs: number[];
  now: number;
  count: number;
}

/** Next ids and ticket sequence value; advanced as rows are generated. */
export interface Cursor {
  index: number;
  ticketId: number;
  entryId: number;
  eventId: number;
  seq: number;
}

export interface Batch {
  tickets: Row[];
  entries: Row[];
  events: Row[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

// 10% open (30% of those unassigned), 5% pending, 10% resolved, 75% closed.
type Shape = 'unassigned' | 'open' | 'in_progress' | 'awaiting' | 'resolved' | 'closed';
const SHAPES: Shape[] = ['unassigned', 'open', 'in_progress', 'awaiting', 'resolved', 'closed'];
const SHAPE_WEIGHTS = cumulative([3, 2, 5, 5, 10, 75]);
const STATUS_OF: Record<Shape, StatusKey> = {
  unassigned: 'open',
  open: 'open',
  in_progress: 'in_progress',
  awaiting: 'awaiting_customer',
  resolved: 'resolved',
  closed: 'closed',
};
const SOURCES = ['email', 'web', 'phone', 'api'];
const SOURCE_WEIGHTS = cumulative([55, 25, 10, 10]);
// Entries after the first message: mean about 2.5, so 3.5 per ticket.
const FURTHER_WEIGHTS = cumulative([12, 20, 22, 18, 13, 9, 6]);

interface Draft {
  id: number;
  created: number;
  shape: Shape;
  source: string;
  requester: number;
  customer: string;
  dept: Department;
  priority: { id: number; level: number };
  topic: number | null;
  team: number | null;
  assignee: number | null;
  agent: string;
}

interface ThreadTimes {
  firstReply: number | null;
  lastReply: number | null;
  lastMessage: number;
  last: number;
}

/** Appends `size` tickets with their threads and events to `out`. */
export function generateBatch(r: Rand, ctx: GenContext, cur: Cursor, size: number, out: Batch): Batch {
  for (let i = 0; i < size; i++) generateTicket(r, ctx, cur, out);
  return out;
}

function failRef(what: string): never {
  throw new Error(`bulk seed: no ${what} to use`);
}

/** Who and what a ticket is about, before its history is written. */
function draftTicket(r: Rand, ctx: GenContext, cur: Cursor): Draft {
  const { ref } = ctx;
  const shape = SHAPES[r.weighted(SHAPE_WEIGHTS)] ?? 'closed';
  const dept = ref.departments[r.weighted(ref.departmentWeights)] ?? failRef('department');
  // Assignees come from the department's agents, when it has some.
  const assignee =
    shape === 'unassigned' ? null : r.pick(dept.agents.length > 0 ? dept.agents : ref.agentIds);
  const agent = assignee === null ? undefined : ref.agents.get(assignee);
  const slot = Math.floor(ctx.customerIds.length * r.next() ** 2); // a few customers write a lot
  const inTeam = agent && agent.teams.length > 0 && r.chance(0.3);
  return {
    id: ++cur.ticketId,
    // Creation time grows with the id (as in a real desk), spread over the year before `now`.
    created: Math.floor(ctx.now - YEAR + ((cur.index++ + r.next()) / ctx.count) * YEAR),
    shape,
    source: SOURCES[r.weighted(SOURCE_WEIGHTS)] ?? 'email',
    requester: ctx.customerIds[slot] ?? failRef('customer'),
    customer: customerName(ctx.customerKs[slot] ?? 0),
    dept,
    priority: ref.priorities[r.weighted(ref.priorityWeights)] ?? failRef('priority'),
    topic: dept.topics.length > 0 && r.chance(0.6) ? r.pick(dept.topics) : null,
    team: inTeam ? r.pick(agent.teams) : ref.teams.length > 0 && r.chance(0.05) ? r.pick(ref.teams) : null,
    assignee,
    agent: agent?.name ?? 'Support',
  };
}

function generateTicket(r: Rand, ctx: GenContext, cur: Cursor, out: Batch): void {
  const t = draftTicket(r, ctx, cur);
  const thread = writeThread(r, ctx, cur, out, t);
  const done = writeEvents(r, ctx, cur, out, t, thread);
  const status = ctx.ref.statuses[STATUS_OF[t.shape]];
  // The SLA clock runs only while open: some tickets are overdue, most due in the next days.
  const slaDue =
    status.state === 'open'
      ? Math.max(t.created + HOUR, ctx.now + Math.floor((r.next() * 5 - 1) * DAY))
      : null;
  out.tickets.push([
    t.id,
    String(100000 + ++cur.seq),
    subject(r),
    t.source,
    t.requester,
    t.dept.id,
    t.topic,
    t.priority.id,
    t.priority.level,
    status.id,
    status.state,
    t.team,
    t.assignee,
    t.dept.slaPlanId,
    slaDue,
    thread.firstReply,
    thread.lastMessage,
    thread.lastReply,
    done.resolved,
    done.closed,
    t.created,
    Math.max(thread.last, done.resolved ?? 0, done.closed ?? 0),
  ]);
}

/** Between 10 minutes and 3 days, mostly short. */
const gap = (r: Rand) => 10 * MINUTE + Math.floor(r.next() ** 3 * 3 * DAY);

function writeThread(r: Rand, ctx: GenContext, cur: Cursor, out: Batch, t: Draft): ThreadTimes {
  const replies = t.shape !== 'unassigned' && t.shape !== 'open';
  const further = Math.max(r.weighted(FURTHER_WEIGHTS), replies ? 1 : 0);
  const times: ThreadTimes = { firstReply: null, lastReply: null, lastMessage: t.created, last: t.created };
  pushEntry(r, cur, out, t, 'message', t.created, t.source);
  let at = t.created;
  let lastPublic = 'message';
  for (let j = 0; j < further; j++) {
    at = Math.min(at + gap(r), ctx.now);
    let kind: string;
    if (!replies) kind = t.assignee !== null && r.chance(0.25) ? 'note' : 'message';
    else if (j === 0 || (t.shape === 'awaiting' && j === further - 1))
      kind = 'reply'; // awaiting = we spoke last
    else if (r.chance(0.15)) kind = 'note';
    else kind = lastPublic === 'message' ? 'reply' : 'message';
    pushEntry(r, cur, out, t, kind, at, kind === 'message' && t.source !== 'email' ? 'web' : 'email');
    if (kind === 'reply') {
      times.firstReply ??= at;
      times.lastReply = at;
    } else if (kind === 'message') times.lastMessage = at;
    if (kind !== 'note') lastPublic = kind;
    times.last = at;
  }
  return times;
}

function pushEntry(
  r: Rand,
  cur: Cursor,
  out: Batch,
  t: Draft,
  kind: string,
  at: number,
  source: string,
): void {
  const id = ++cur.entryId;
  const fromCustomer = kind === 'message';
  const body = fromCustomer
    ? customerBody(r, t.customer)
    : kind === 'reply'
      ? agentBody(r, t.customer, t.agent)
      : noteBody(r);
  // Mail carries a Message-ID; padded so the index sees increasing keys.
  const messageId =
    kind !== 'note' && source === 'email' ? `<bulk.${String(id).padStart(10, '0')}@deskline.local>` : null;
  out.entries.push([
    id,
    t.id,
    kind,
    fromCustomer ? null : t.assignee,
    fromCustomer ? t.requester : null,
    body,
    kind === 'message' ? source : 'web',
    messageId,
    at,
  ]);
}

type ActorType = 'agent' | 'customer' | 'system';

/**
 * Writes 'created' and one event per status change, shaped like the ticket
 * services' own ('resolved'/'closed'/'status_changed' with before/after state
 * and status id); returns when the ticket was resolved and closed.
 */
function writeEvents(r: Rand, ctx: GenContext, cur: Cursor, out: Batch, t: Draft, thread: ThreadTimes) {
  const { statuses } = ctx.ref;
  const push = (type: string, actor: ActorType, actorId: number | null, data: string, at: number) =>
    out.events.push([++cur.eventId, t.id, type, actor, actorId, data, at]);
  const side = (key: StatusKey) => `{"state":"${statuses[key].state}","status":${statuses[key].id}}`;
  const change = (from: StatusKey, to: StatusKey, at: number, action: string, actor: ActorType = 'agent') => {
    const type = to === 'resolved' || to === 'closed' ? to : 'status_changed';
    const actorId = actor === 'agent' ? t.assignee : actor === 'customer' ? t.requester : null;
    push(type, actor, actorId, `{"before":${side(from)},"after":${side(to)},"action":"${action}"}`, at);
  };

  const created = `{"source":"${t.source}","department":${t.dept.id},"priority":${t.priority.id},"helpTopic":${t.topic},"team":${t.team},"assignee":${t.assignee}}`;
  push('created', 'customer', t.requester, created, t.created);
  let resolved: number | null = null;
  let closed: number | null = null;
  if (t.shape === 'unassigned' || t.shape === 'open') return { resolved, closed };
  change('open', 'in_progress', thread.firstReply ?? t.created, 'agent_reply');
  if (t.shape === 'awaiting')
    change('in_progress', 'awaiting_customer', thread.lastReply ?? thread.last, 'agent_reply');
  if (t.shape === 'resolved' || t.shape === 'closed') {
    resolved = Math.min(thread.last + gap(r), ctx.now);
    change('in_progress', 'resolved', resolved, 'resolve');
  }
  if (t.shape === 'closed' && resolved !== null) {
    closed = Math.min(resolved + DAY + r.int(6 * DAY), ctx.now);
    // Mostly closed by the auto-close job, else confirmed by the customer.
    if (r.chance(0.6)) change('resolved', 'closed', closed, 'auto_close', 'system');
    else change('resolved', 'closed', closed, 'confirm', 'customer');
  }
  return { resolved, closed };
}
