import type { SlaClockName, Ticket } from '../../db/schema.ts';
import { MINUTE } from '../../lib/clock.ts';
import type { SlaPlanRules } from './sla.plan.ts';

// The SLA clocks of one ticket. Three targets per priority: first response
// (from creation until the first agent reply), next response (from a customer
// message an agent has not answered yet) and resolution (from creation until
// resolved). Time counts in the plan's business hours. The clocks stop while
// the ticket is not open (pending, resolved, closed) or its status pauses SLA;
// the business time spent stopped is added to the first-response and
// resolution targets when they run again. The next-response clock starts at
// the customer's message and is not moved by pauses before it.

export type SlaRow = Pick<
  Ticket,
  | 'sla_plan_id'
  | 'priority_level'
  | 'state'
  | 'created_at'
  | 'first_response_at'
  | 'last_message_at'
  | 'last_response_at'
  | 'sla_paused_at'
  | 'sla_paused_ms'
  | 'sla_first_due_at'
  | 'sla_next_due_at'
  | 'sla_resolve_due_at'
  | 'sla_check_at'
>;

export interface SlaColumns {
  sla_first_due_at: number | null;
  sla_next_due_at: number | null;
  sla_resolve_due_at: number | null;
  sla_due_at: number | null;
  sla_paused_at: number | null;
  sla_paused_ms: number;
  sla_check_at: number | null;
}

/** A new row's clock columns before any clock ran. */
export const NO_CLOCKS = {
  first_response_at: null,
  last_response_at: null,
  sla_paused_at: null,
  sla_paused_ms: 0,
  sla_first_due_at: null,
  sla_next_due_at: null,
  sla_resolve_due_at: null,
  sla_check_at: null,
} as const;

export interface ClockDue {
  clock: SlaClockName;
  /** Where the clock started: one warning and one breach per start. */
  startedAt: number;
  due: number;
  /** When the warning fires; null when the plan has none. */
  warnAt: number | null;
}

export const CLOCK_COLUMN = {
  first_response: 'sla_first_due_at',
  next_response: 'sla_next_due_at',
  resolution: 'sla_resolve_due_at',
} as const satisfies Record<SlaClockName, keyof SlaColumns>;

const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** The running clocks of a ticket whose SLA is not paused. */
export function runningClocks(plan: SlaPlanRules, t: SlaRow, pausedMs: number): ClockDue[] {
  const target = plan.targets[String(t.priority_level)];
  if (!target) return [];
  const pct = plan.escalation.warnAtPercent;
  const clock = (name: SlaClockName, from: number, minutes: number, extra: number): ClockDue => {
    const ms = minutes * MINUTE;
    return {
      clock: name,
      startedAt: from,
      due: plan.calendar.add(from, ms + extra),
      warnAt: pct === null ? null : plan.calendar.add(from, Math.round((ms * pct) / 100) + extra),
    };
  };
  const out: ClockDue[] = [];
  if (t.first_response_at === null && target.firstResponse)
    out.push(clock('first_response', t.created_at, target.firstResponse, pausedMs));
  const unanswered =
    t.first_response_at !== null &&
    t.last_message_at !== null &&
    t.last_message_at > (t.last_response_at ?? t.first_response_at);
  if (unanswered && target.nextResponse)
    out.push(clock('next_response', t.last_message_at!, target.nextResponse, 0));
  if (target.resolution) out.push(clock('resolution', t.created_at, target.resolution, pausedMs));
  return out;
}

/** The next warning or breach after `now` among the clocks (what the scheduler waits for). */
export function nextCheck(clocks: ClockDue[], now: number): number | null {
  let check: number | null = null;
  for (const c of clocks)
    for (const at of [c.warnAt, c.due]) if (at !== null && at > now) check = earliest(check, at);
  return check;
}

/**
 * The SLA columns of `after` (a ticket row once a change is applied) at `now`.
 * `before` is the stored row (null at intake): a due time that did not change
 * keeps its place in the scheduler's queue, a changed one is checked afresh
 * (its warning and breach fire for the new due time, even if already past).
 */
export function slaColumns(
  plan: SlaPlanRules | undefined,
  pausesSla: boolean,
  before: SlaRow | null,
  after: SlaRow,
  now: number,
): SlaColumns {
  const stopped: SlaColumns = {
    sla_first_due_at: null,
    sla_next_due_at: null,
    sla_resolve_due_at: null,
    sla_due_at: null,
    sla_paused_at: null,
    sla_paused_ms: after.sla_paused_ms,
    sla_check_at: null,
  };
  if (!plan) return stopped;
  const running = after.state === 'open' && !pausesSla;
  if (!running) return { ...stopped, sla_paused_at: after.sla_paused_at ?? now };

  const pausedMs =
    after.sla_paused_at === null
      ? after.sla_paused_ms
      : after.sla_paused_ms + plan.calendar.between(after.sla_paused_at, now);
  const clocks = runningClocks(plan, after, pausedMs);
  const cols: SlaColumns = { ...stopped, sla_paused_ms: pausedMs };
  let check = nextCheck(clocks, now);
  for (const c of clocks) {
    cols[CLOCK_COLUMN[c.clock]] = c.due;
    cols.sla_due_at = earliest(cols.sla_due_at, c.due);
    if (before === null || before[CLOCK_COLUMN[c.clock]] !== c.due)
      check = earliest(check, c.warnAt === null ? c.due : Math.min(c.warnAt, c.due));
  }
  // A check already due stays due: the scheduler has not seen it yet.
  if (before?.sla_check_at != null && before.sla_check_at <= now)
    check = earliest(check, before.sla_check_at);
  cols.sla_check_at = check;
  return cols;
}
