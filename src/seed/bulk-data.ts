// Deterministic pseudo-random content for the bulk seeder: a tiny PRNG and
// support-flavoured text built from phrase arrays. No dependencies, so the same
// seed gives the same database on every machine and dialect.

/** mulberry32: 32-bit state, good enough spread for test data and very fast. */
export class Rand {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Index drawn by weight; `cumulative` holds running totals (last = total). */
  weighted(cumulative: readonly number[]): number {
    const total = cumulative[cumulative.length - 1] ?? 0;
    const x = this.next() * total;
    let i = 0;
    while (i < cumulative.length - 1 && x >= (cumulative[i] ?? total)) i++;
    return i;
  }
}

export function cumulative(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

const FIRST = [
  'Anna',
  'Ben',
  'Carla',
  'David',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kim',
  'Lena',
  'Marco',
  'Nora',
  'Omar',
  'Paula',
  'Quinn',
  'Rosa',
  'Sam',
  'Tara',
  'Umar',
  'Vera',
  'Will',
  'Yara',
  'Zoe',
];
const LAST = [
  'Adams',
  'Berg',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Hansen',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Meyer',
  'Novak',
  'Olsen',
  'Patel',
  'Rossi',
  'Silva',
  'Tanaka',
  'Urban',
  'Weber',
  'Young',
  'Zimmer',
];

/** Name of bulk customer k (derived, so re-reading the pool needs no names from the database). */
export function customerName(k: number): string {
  return `${FIRST[k % FIRST.length]} ${LAST[Math.floor(k / FIRST.length) % LAST.length]}`;
}

export function customerEmail(k: number): string {
  return `c${String(k).padStart(6, '0')}@bulk.example`;
}

const SUBJECT_WHAT = [
  'Cannot log in',
  'Invoice shows the wrong amount',
  'Password reset email never arrives',
  'App crashes on start',
  'Export to CSV is empty',
  'Payment was charged twice',
  'Cannot upload attachments',
  'Dashboard loads very slowly',
  'Two-factor codes are rejected',
  'Need to change the billing address',
  'VPN connection drops',
  'Printer queue is stuck',
  'Sync stopped working',
  'Request for a refund',
  'Error 500 when saving',
  'Mailbox is full',
  'New user account needed',
  'License key not accepted',
  'Data missing from report',
  'Cannot cancel subscription',
];
const SUBJECT_WHEN = [
  '',
  '',
  ' after the update',
  ' since this morning',
  ' on mobile',
  ' for our whole team',
  ' again',
  ' on the new laptop',
  ' in Firefox',
  ' after password change',
  ' - urgent',
  ' since yesterday',
];

export function subject(r: Rand): string {
  return r.pick(SUBJECT_WHAT) + r.pick(SUBJECT_WHEN);
}

const CUSTOMER_OPEN = [
  'Hello,',
  'Hi there,',
  'Hi support team,',
  'Good morning,',
  'Dear support,',
  'Hello again,',
];
const CUSTOMER_SAY = [
  'Since this morning I cannot log in to the portal; it says my session has expired right after I enter the password.',
  'I already tried clearing the browser cache and cookies, but nothing changed.',
  'The same thing happens on my colleague\u2019s computer, so I do not think it is only my machine.',
  'Our last invoice lists twelve seats, but we only have nine active users at the moment.',
  'This is blocking our month-end close, so a quick answer would be very much appreciated.',
  'I attached a screenshot of the error message that appears after about ten seconds.',
  'It worked fine until the update last Tuesday, and nothing else changed on our side.',
  'We are on the business plan and our account number should be in the signature below.',
  'When I click Export the file downloads, but it only contains the header row.',
  'I restarted the application twice and even reinstalled it, with the same result.',
  'Could you please check whether something is wrong with our account configuration?',
  'The problem seems to happen mostly in the afternoon, when more people are working.',
  'I followed the steps from your help article, but the option it mentions is not visible for me.',
  'Several customers of ours have reported the same behaviour this week.',
  'Please let me know if you need any logs or more details from our side.',
  'Our IT department confirmed that the firewall is not blocking anything.',
  'I am writing again because I have not heard back about this yet.',
  'The error code shown is E-4021, in case that helps you find the cause.',
];
const CUSTOMER_CLOSE = ['Thanks in advance,', 'Kind regards,', 'Best,', 'Thank you,', 'Regards,'];

const AGENT_OPEN = [
  'Thank you for contacting us.',
  'Thanks for the details, that helps a lot.',
  'Sorry for the trouble, and thanks for your patience.',
  'Thanks for getting back to us.',
];
const AGENT_SAY = [
  'I have checked your account and can confirm that the configuration looks correct on our side.',
  'Could you please tell us which browser and version you are using?',
  'Our engineers found the cause and deployed a fix a few minutes ago.',
  'I have corrected the invoice and a credit note for the difference will arrive by email shortly.',
  'Please try signing out of all sessions and signing in again; that resets the stored token.',
  'This is a known issue in the current release, and a fix is planned for the next update.',
  'I have reset the two-factor setup for your user, so you can enrol your device again.',
  'If the problem comes back, simply reply to this message and the ticket will reopen.',
  'You can find the new setting under Account, then Preferences, then Security.',
  'I have escalated this to our second-level team, who will contact you within one business day.',
  'The export limit has been raised for your account; please try the export again.',
  'Could you send us the exact time when the error last happened, including the time zone?',
  'We have refunded the duplicate charge; it may take three to five days to appear on your statement.',
  'I was able to reproduce the behaviour and have shared the details with our developers.',
];
const AGENT_CLOSE = ['Best regards,', 'Kind regards,', 'Have a great day,', 'Thanks again,'];
const NOTE_SAY = [
  'Customer is on the legacy plan; check the old billing rules before changing anything.',
  'Reproduced on staging with the same account settings.',
  'Second report of this issue today; linking with the open incident.',
  'Asked engineering in the team channel, waiting for an answer.',
  'Refund approved by the billing lead.',
  'Looks like a caching problem on the edge servers; see the monitoring graphs from this morning.',
  'Do not close before the customer confirms the fix works for all their users.',
  'Checked the logs: the requests time out after thirty seconds at the load balancer.',
];

/** Lengths 200..1500, skewed short like real mail (mean about 650). */
function targetLength(r: Rand): number {
  return 200 + Math.floor(1300 * r.next() ** 1.8);
}

function compose(r: Rand, head: string, pool: readonly string[], tail: string): string {
  const target = targetLength(r);
  let text = head;
  while (text.length + tail.length < target)
    text += (text.length === head.length ? '\n\n' : ' ') + r.pick(pool);
  text += tail;
  if (text.length <= 1500) return text;
  const cut = text.lastIndexOf(' ', 1499);
  return text.slice(0, cut > 0 ? cut : 1500);
}

export function customerBody(r: Rand, name: string): string {
  return compose(r, r.pick(CUSTOMER_OPEN), CUSTOMER_SAY, `\n\n${r.pick(CUSTOMER_CLOSE)}\n${name}`);
}

export function agentBody(r: Rand, customer: string, agent: string): string {
  const head = `Hi ${customer.split(' ')[0] ?? customer},\n\n${r.pick(AGENT_OPEN)}`;
  return compose(r, head, AGENT_SAY, `\n\n${r.pick(AGENT_CLOSE)}\n${agent}`);
}

export function noteBody(r: Rand): string {
  return compose(r, 'Internal note:', NOTE_SAY, '');
}

// ---------------------------------------------------------------------------
// Tickets, threads and events as plain rows (column order below), so the
// SQLite writer can bind them positionally and the PostgreSQL writer can turn
// them into one array per column.

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

function generateTicket(r: Rand, ctx: GenContext, cur: Cursor, out: Batch): void {
  const { ref } = ctx;
  const id = ++cur.ticketId;
  const seq = ++cur.seq;
  // Creation time grows with the id (as in a real desk), spread over the last year.
  const created = Math.floor(ctx.now - YEAR + ((cur.index++ + r.next()) / ctx.count) * YEAR);
  const shape = SHAPES[r.weighted(SHAPE_WEIGHTS)] ?? 'closed';
  const dept = ref.departments[r.weighted(ref.departmentWeights)] ?? failRef('department');
  const assignee =
    shape === 'unassigned' ? null : r.pick(dept.agents.length > 0 ? dept.agents : ref.agentIds);
  const agent = assignee === null ? undefined : ref.agents.get(assignee);
  const slot = Math.floor(ctx.customerIds.length * r.next() ** 2); // a few customers write a lot
  const draft: Draft = {
    id,
    created,
    shape,
    source: SOURCES[r.weighted(SOURCE_WEIGHTS)] ?? 'email',
    requester: ctx.customerIds[slot] ?? failRef('customer'),
    customer: customerName(ctx.customerKs[slot] ?? 0),
    assignee,
    agent: agent?.name ?? 'Support',
  };
  const thread = writeThread(r, ctx, cur, out, draft);
  const closing = writeEvents(r, ctx, cur, out, draft, thread);
  const status = ref.statuses[STATUS_OF[shape]];
  const priority = ref.priorities[r.weighted(ref.priorityWeights)] ?? failRef('priority');
  const team =
    agent && agent.teams.length > 0 && r.chance(0.3)
      ? r.pick(agent.teams)
      : ref.teams.length > 0 && r.chance(0.05)
        ? r.pick(ref.teams)
        : null;
  const topic = dept.topics.length > 0 && r.chance(0.6) ? r.pick(dept.topics) : null;
  const slaDue =
    status.state === 'open' ? Math.max(created + HOUR, ctx.now + Math.floor((r.next() * 5 - 1) * DAY)) : null;
  out.tickets.push([
    id,
    String(100000 + seq),
    subject(r),
    draft.source,
    draft.requester,
    dept.id,
    topic,
    priority.id,
    priority.level,
    status.id,
    status.state,
    team,
    assignee,
    dept.slaPlanId,
    slaDue,
    thread.firstReply,
    thread.lastMessage,
    thread.lastReply,
    closing.resolved,
    closing.closed,
    created,
    Math.max(thread.last, closing.resolved ?? 0, closing.closed ?? 0),
  ]);
}

function failRef(what: string): never {
  throw new Error(`bulk seed: no ${what} to use`);
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

/** Writes 'created' and one event per status change; returns when it was resolved/closed. */
function writeEvents(r: Rand, ctx: GenContext, cur: Cursor, out: Batch, t: Draft, thread: ThreadTimes) {
  const push = (
    type: string,
    actor: 'agent' | 'customer' | 'system',
    actorId: number | null,
    data: string,
    at: number,
  ) => out.events.push([++cur.eventId, t.id, type, actor, actorId, data, at]);
  const change = (before: StatusKey, after: StatusKey, at: number, actor: 'agent' | 'system' = 'agent') =>
    push(
      'status_changed',
      actor,
      actor === 'agent' ? t.assignee : null,
      `{"before":"${before}","after":"${after}"}`,
      at,
    );

  push('created', 'customer', t.requester, `{"source":"${t.source}","status":"open"}`, t.created);
  let resolved: number | null = null;
  let closed: number | null = null;
  if (t.shape === 'unassigned' || t.shape === 'open') return { resolved, closed };
  change('open', 'in_progress', thread.firstReply ?? t.created);
  if (t.shape === 'awaiting') change('in_progress', 'awaiting_customer', thread.lastReply ?? thread.last);
  if (t.shape === 'resolved' || t.shape === 'closed') {
    resolved = Math.min(thread.last + gap(r), ctx.now);
    change('in_progress', 'resolved', resolved);
  }
  if (t.shape === 'closed' && resolved !== null) {
    closed = Math.min(resolved + DAY + r.int(6 * DAY), ctx.now);
    change('resolved', 'closed', closed, r.chance(0.6) ? 'system' : 'agent'); // mostly auto-close
  }
  return { resolved, closed };
}
