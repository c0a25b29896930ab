import type { ReportFactsTable } from '../../db/schema.reports.ts';
import type { BusinessCalendar } from '../sla/sla.calendar.ts';
import type { SlaTargets } from '../../contract/sla.contract.ts';
import { localDayOf } from '../sla/sla.timezone.ts';

// The facts of one ticket that reports count and measure (definitions in
// docs/REPORTS.md), computed from its raw rows. One function serves the
// refresh job and the rebuild, so the facts never depend on how they were made.

export const KIND = {
  created: 1,
  reply: 2,
  /** Left work: resolved, or closed straight from open/pending. */
  left: 3,
  closed: 4,
  reopened: 5,
  firstResponse: 6,
  nextResponse: 7,
  firstResolution: 8,
  resolution: 9,
} as const;
export type FactKind = keyof typeof KIND;
export type MeasureName = 'firstResponse' | 'nextResponse' | 'resolution' | 'firstResolution';
export const MEASURES: readonly MeasureName[] = [
  'firstResponse',
  'nextResponse',
  'resolution',
  'firstResolution',
];

export const CHANNEL_CODE: Record<string, number> = { email: 1, web: 2, phone: 3, api: 4, other: 5 };
const channelCode = (source: string) => CHANNEL_CODE[source] ?? CHANNEL_CODE.other!;

/**
 * Duration bucket of `ms`: whole seconds up to 127 s, then 64 buckets per
 * doubling (each under 1.1 % wide). Integer arithmetic only, so it is
 * monotonic: every value of a lower bucket is below every value of a higher one,
 * which lets a percentile be found bucket first and then exactly inside it.
 */
export function bucketOf(ms: number): number {
  const s = Math.floor(ms / 1000);
  if (s < 128) return s;
  const e = s >= 2 ** 31 ? 31 + Math.floor(Math.log2(s / 2 ** 31)) : 31 - Math.clz32(s);
  const base = 2 ** e;
  return 128 + (e - 7) * 64 + Math.floor(((s - base) * 64) / base);
}

export interface FactTicket {
  id: number;
  created_at: number;
  resolved_at: number | null;
  state: string;
  sla_plan_id: number | null;
  priority_level: number;
  department_id: number;
  team_id: number | null;
  assignee_id: number | null;
  help_topic_id: number | null;
  priority_id: number;
  source: string;
  organization_id: number | null;
}
export interface FactEntry {
  kind: string;
  author_agent_id: number | null;
  created_at: number;
}
export interface FactEvent {
  type: string;
  actor_type: string;
  actor_id: number | null;
  data: string;
  created_at: number;
}
export interface FactContext {
  zone: string;
  calendar: BusinessCalendar;
  /** The plan's targets at the ticket's priority, if any. */
  targets: SlaTargets[string] | undefined;
  /** Clocks the scheduler recorded a breach of. */
  breached: Set<string>;
}

// Events written by tickets.actions.ts stateChange carry JSON {"before":{"state":…}}:
// a close straight from open/pending resolves too.
const FROM_WORK = /^\{"before":\{"state":"(open|pending)"/;
export const leftWork = (e: FactEvent) =>
  e.type === 'resolved' || (e.type === 'closed' && FROM_WORK.test(e.data));

type Add = (kind: FactKind, at: number, actor: number | null, from?: number, sla?: number | null) => void;

/** Every fact of one ticket. Entries and events must be in time order. */
export function ticketFacts(
  t: FactTicket,
  entries: FactEntry[],
  events: FactEvent[],
  ctx: FactContext,
): ReportFactsTable[] {
  const out: ReportFactsTable[] = [];
  const dims = {
    department_id: t.department_id,
    team_id: t.team_id,
    assignee_id: t.assignee_id,
    help_topic_id: t.help_topic_id,
    priority_id: t.priority_id,
    channel: channelCode(t.source),
    organization_id: t.organization_id,
  };
  const add: Add = (kind, at, actor, from, sla = null) => {
    const calendar = from === undefined ? null : Math.max(0, at - from);
    const business = from === undefined ? null : ctx.calendar.between(from, at);
    out.push({
      ticket_id: t.id,
      seq: out.length,
      kind: KIND[kind],
      day: localDayOf(ctx.zone, at),
      at,
      actor_id: actor,
      calendar_ms: calendar,
      business_ms: business,
      cal_bucket: calendar === null ? null : bucketOf(calendar),
      bus_bucket: business === null ? null : bucketOf(business),
      sla,
      ...dims,
    });
  };
  const slaOf = (clock: 'first_response' | 'resolution', target: number | undefined) =>
    target === undefined ? null : ctx.breached.has(clock) ? 0 : 1;

  add('created', t.created_at, null);
  responseFacts(t, entries, add, slaOf('first_response', ctx.targets?.firstResponse));
  const firstLeft = stateFacts(events, add);
  if (firstLeft !== null) add('firstResolution', firstLeft, t.assignee_id, t.created_at);
  if ((t.state === 'resolved' || t.state === 'closed') && t.resolved_at !== null)
    add(
      'resolution',
      t.resolved_at,
      t.assignee_id,
      t.created_at,
      slaOf('resolution', ctx.targets?.resolution),
    );
  return out;
}

/** Replies, the first response and each next response (to a customer message the agents had not answered). */
function responseFacts(t: FactTicket, entries: FactEntry[], add: Add, firstSla: number | null) {
  let answered = false;
  let waiting: number | null = null;
  for (const e of entries) {
    if (e.kind === 'reply' && e.author_agent_id !== null) {
      add('reply', e.created_at, e.author_agent_id);
      if (!answered) add('firstResponse', e.created_at, e.author_agent_id, t.created_at, firstSla);
      else if (waiting !== null) add('nextResponse', e.created_at, e.author_agent_id, waiting);
      answered = true;
      waiting = null;
    } else if (e.kind === 'message' && answered && waiting === null) waiting = e.created_at;
  }
}

/** Leaving work, closes and reopens; returns when the ticket first left work (null: never). */
function stateFacts(events: FactEvent[], add: Add): number | null {
  let firstLeft: number | null = null;
  for (const e of events) {
    const agent = e.actor_type === 'agent' ? e.actor_id : null;
    if (leftWork(e)) {
      add('left', e.created_at, agent);
      firstLeft ??= e.created_at;
    }
    if (e.type === 'closed') add('closed', e.created_at, agent);
    if (e.type === 'reopened') add('reopened', e.created_at, agent);
  }
  return firstLeft;
}
