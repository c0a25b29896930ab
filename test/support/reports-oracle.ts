import type { Ticket } from '../../src/db/schema.ts';

// The reports agreement test's oracle: what each report should say, computed
// directly from the raw tickets, thread entries, events, breaches and surveys,
// independently of the report facts and rollup.

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/**
 * Business time under the office-hours plan given to Billing (Mon–Fri
 * 09:00–17:00 UTC), counted day by day: the overlap of [a, b) with each
 * weekday's window.
 */
function officeMs(a: number, b: number): number {
  let total = 0;
  for (let day = Math.floor(a / DAY) * DAY; day < b; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    total += Math.max(0, Math.min(b, day + 17 * HOUR) - Math.max(a, day + 9 * HOUR));
  }
  return total;
}

export interface Raw {
  /** The office-hours plan's id: its tickets' business time is office time, the others' is calendar time. */
  office: number;
  tickets: Ticket[];
  entries: { ticket_id: number; kind: string; author_agent_id: number | null; created_at: number }[];
  events: { ticket_id: number; type: string; data: string; actor_id: number | null; created_at: number }[];
  breaches: { ticket_id: number; clock: string; due_at: number }[];
  /** Tickets whose plan sets both clocks at their priority. */
  targeted: Set<number>;
  surveys: { ticket_id: number; sent_at: number }[];
  ratings: {
    ticket_id: number;
    score: number;
    comment: string | null;
    agent_id: number | null;
    created_at: number;
  }[];
}

export const label = (t: number) => new Date(t).toISOString().slice(0, 10);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.ceil(s.length / 2) - 1]! : null;
};
const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
const p90 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.ceil(s.length * 0.9) - 1]! : null;
};
const stat = (xs: number[]) => ({ count: xs.length, mean: mean(xs), median: median(xs), p90: p90(xs) });
const pct = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : null);

/** The expected volume series and speed counts, from the raw rows (UTC days). */
export function expected(raw: Raw, from: number, days: number, keep: (t: Ticket) => boolean) {
  const end = from + days * DAY;
  const tickets = raw.tickets.filter(keep);
  const ids = new Set(tickets.map((t) => t.id));
  const events = raw.events.filter((e) => ids.has(e.ticket_id));
  const state = (t: Ticket, at: number) => {
    let s = 'open';
    for (const e of events)
      if (e.ticket_id === t.id && e.created_at < at && JSON.parse(e.data).after?.state)
        s = JSON.parse(e.data).after.state;
    return s;
  };
  const leftWork = (e: Raw['events'][number]) =>
    e.type === 'resolved' ||
    (e.type === 'closed' && ['open', 'pending'].includes(JSON.parse(e.data).before.state));
  const series = [];
  for (let d = 0; d < days; d++) {
    const a = from + d * DAY;
    const b = a + DAY;
    const inDay = events.filter((e) => e.created_at >= a && e.created_at < b);
    series.push({
      period: label(a),
      created: tickets.filter((t) => t.created_at >= a && t.created_at < b).length,
      resolved: inDay.filter(leftWork).length,
      closed: inDay.filter((e) => e.type === 'closed').length,
      reopened: inDay.filter((e) => e.type === 'reopened').length,
      backlog: tickets.filter((t) => t.created_at < b && ['open', 'pending'].includes(state(t, b))).length,
    });
  }
  const inRange = (at: number) => at >= from && at < end;
  const plan = new Map(tickets.map((t) => [t.id, t.sla_plan_id]));
  const business = (id: number, a: number, b: number) =>
    plan.get(id) === raw.office ? officeMs(a, b) : b - a;
  const firstResponses: number[] = [];
  const firstBusiness: number[] = [];
  const nextBusiness: number[] = [];
  const firstAt: { at: number; ms: number }[] = [];
  const nextResponses: number[] = [];
  const respondedIds: number[] = [];
  const replies = new Map<number, number>();
  const agentFirst = new Map<number, number[]>();
  for (const t of tickets) {
    const thread = raw.entries.filter((x) => x.ticket_id === t.id);
    const mine = thread.filter((x) => x.kind === 'reply' && x.author_agent_id);
    const first = mine[0];
    if (first && inRange(first.created_at)) {
      firstResponses.push(first.created_at - t.created_at);
      firstBusiness.push(business(t.id, t.created_at, first.created_at));
      firstAt.push({ at: first.created_at, ms: first.created_at - t.created_at });
      respondedIds.push(t.id);
      agentFirst.set(first.author_agent_id!, [
        ...(agentFirst.get(first.author_agent_id!) ?? []),
        first.created_at - t.created_at,
      ]);
    }
    // A customer message after the first response waits for the next reply (the earliest of a run counts).
    let waiting: number | null = null;
    for (const x of thread) {
      if (first && x.kind === 'message' && x.created_at > first.created_at && waiting === null)
        waiting = x.created_at;
      if (x.kind === 'reply' && x.author_agent_id && waiting !== null) {
        if (inRange(x.created_at)) {
          nextResponses.push(x.created_at - waiting);
          nextBusiness.push(business(t.id, waiting, x.created_at));
        }
        waiting = null;
      }
    }
    for (const r of mine)
      if (inRange(r.created_at)) replies.set(r.author_agent_id!, (replies.get(r.author_agent_id!) ?? 0) + 1);
  }
  const agentResolved = new Map<number, number>();
  for (const e of events)
    if (leftWork(e) && e.actor_id !== null && inRange(e.created_at))
      agentResolved.set(e.actor_id, (agentResolved.get(e.actor_id) ?? 0) + 1);
  const ratings = raw.ratings.filter((r) => ids.has(r.ticket_id) && inRange(r.created_at));
  const sent = raw.surveys.filter((q) => ids.has(q.ticket_id) && inRange(q.sent_at)).length;
  const csat = {
    sent,
    responses: ratings.length,
    responseRate: pct(ratings.length, sent),
    score: pct(ratings.filter((r) => r.score >= 4).length, ratings.length),
    distribution: Object.fromEntries(
      [1, 2, 3, 4, 5].map((k) => [String(k), ratings.filter((r) => r.score === k).length]),
    ),
    comments: ratings.filter((r) => r.comment).length,
  };
  const resolvedTickets = tickets.filter(
    (t) => ['resolved', 'closed'].includes(t.state) && t.resolved_at! >= from && t.resolved_at! < end,
  );
  const resolutions = resolvedTickets.map((t) => t.resolved_at! - t.created_at);
  // The speed series: each day's median of the first responses and resolutions that ended on it.
  const dayMedian = (list: { at: number; ms: number }[], d: number) =>
    median(list.filter((x) => x.at >= from + d * DAY && x.at < from + (d + 1) * DAY).map((x) => x.ms));
  const resolvedAt = resolvedTickets.map((t) => ({ at: t.resolved_at!, ms: t.resolved_at! - t.created_at }));
  const speedSeries = series.map((row, d) => ({
    period: row.period,
    firstResponseMedianMs: dayMedian(firstAt, d),
    resolutionMedianMs: dayMedian(resolvedAt, d),
  }));
  const sla = (clock: string, endedIds: number[]) => {
    const ever = new Set(raw.breaches.filter((b) => b.clock === clock).map((b) => b.ticket_id));
    const breached = new Set(
      raw.breaches
        .filter((b) => b.clock === clock && ids.has(b.ticket_id) && b.due_at >= from && b.due_at < end)
        .map((b) => b.ticket_id),
    ).size;
    const met = endedIds.filter((id) => raw.targeted.has(id) && !ever.has(id)).length;
    return { met, breached };
  };
  return {
    sla: {
      firstResponse: sla('first_response', respondedIds),
      resolution: sla(
        'resolution',
        resolvedTickets.map((t) => t.id),
      ),
    },
    series,
    speedSeries,
    firstResponse: stat(firstResponses),
    nextResponse: stat(nextResponses),
    resolution: stat(resolutions),
    business: {
      firstResponse: stat(firstBusiness),
      nextResponse: stat(nextBusiness),
      resolution: stat(resolvedTickets.map((t) => business(t.id, t.created_at, t.resolved_at!))),
    },
    replies,
    agentResolved,
    agentFirstMedian: new Map([...agentFirst].map(([a, xs]) => [a, median(xs)])),
    csat,
  };
}
