import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ticket, TicketSource } from '../../src/db/schema.ts';
import { runSchedulerPass } from '../../src/jobs/scheduler.ts';
import { AppError } from '../../src/lib/errors.ts';
import { postCustomerMessage, postReply } from '../../src/modules/threads/threads.service.ts';
import { close, reopen, resolve } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { idByName, newTicket } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';

// A randomized desk (fixed seed) worked through the real services, then every
// report, with filters, compared with a computation written independently
// here from the raw tickets, thread and events.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2025, 2, 3);
const DAYS = 12;

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

interface Raw {
  tickets: Ticket[];
  entries: { ticket_id: number; kind: string; author_agent_id: number | null; created_at: number }[];
  events: { ticket_id: number; type: string; data: string; actor_id: number | null; created_at: number }[];
  breaches: { ticket_id: number; clock: string; due_at: number }[];
  /** Tickets whose plan sets both clocks at their priority. */
  targeted: Set<number>;
}

const label = (t: number) => new Date(t).toISOString().slice(0, 10);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.ceil(s.length / 2) - 1]! : null;
};
const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

/** The expected volume series and speed counts, from the raw rows (UTC days). */
function expected(raw: Raw, from: number, days: number, keep: (t: Ticket) => boolean) {
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
  const firstResponses: number[] = [];
  const respondedIds: number[] = [];
  const replies = new Map<number, number>();
  for (const t of tickets) {
    const mine = raw.entries.filter((x) => x.ticket_id === t.id && x.kind === 'reply' && x.author_agent_id);
    const first = mine[0];
    if (first && first.created_at >= from && first.created_at < end) {
      firstResponses.push(first.created_at - t.created_at);
      respondedIds.push(t.id);
    }
    for (const r of mine)
      if (r.created_at >= from && r.created_at < end)
        replies.set(r.author_agent_id!, (replies.get(r.author_agent_id!) ?? 0) + 1);
  }
  const resolvedTickets = tickets.filter(
    (t) => ['resolved', 'closed'].includes(t.state) && t.resolved_at! >= from && t.resolved_at! < end,
  );
  const resolutions = resolvedTickets.map((t) => t.resolved_at! - t.created_at);
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
    firstResponse: {
      count: firstResponses.length,
      mean: mean(firstResponses),
      median: median(firstResponses),
    },
    resolution: { count: resolutions.length, mean: mean(resolutions), median: median(resolutions) },
    replies,
  };
}

describeEachDialect('reports agree with the raw tickets', (handle) => {
  let api: Harness;
  let admin: Session;
  let raw: Raw;
  const dims: { departments: number[]; priorities: number[] } = { departments: [], priorities: [] };

  beforeAll(async () => {
    api = await startHarness(handle().db, { now: START });
    const { deps, clock, db, admin: boss, jane, karen } = api.desk;
    const random = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const departments = ['Support', 'Billing', 'SysAdmin'];
    const priorities = ['Low', 'Normal', 'High', 'Emergency'];
    for (const d of departments) dims.departments.push(await idByName(db, 'departments', d));
    for (const p of priorities) dims.priorities.push(await idByName(db, 'priorities', p));
    const sources: TicketSource[] = ['email', 'web', 'phone', 'api'];
    const open: string[] = [];
    // One path the dice rarely take: a pending ticket closed straight away (it leaves work).
    const waiting = await newTicket(deps, { subject: 'pending, then closed' });
    clock.advance(HOUR);
    await postReply(deps, boss, waiting.number, { body: 'waiting on you', setState: 'pending' });
    clock.advance(HOUR);
    await close(deps, boss, waiting.number, { reason: 'no answer' });
    while (clock.now() < START + DAYS * DAY) {
      clock.advance(Math.floor(random() * 5 * HOUR));
      const roll = random();
      try {
        if (roll < 0.3 || open.length === 0) {
          const t = await newTicket(deps, {
            subject: `t${open.length}`,
            department: pick(departments),
            priority: pick(priorities),
            source: pick(sources),
          });
          open.push(t.number);
        } else {
          const number = pick(open);
          if (roll < 0.55) {
            // Some replies leave the ticket pending (awaiting the customer).
            const pending = random() < 0.3 ? { setState: 'pending' as const } : {};
            await postReply(deps, pick([boss, jane]), number, { body: 'reply', ...pending });
          } else if (roll < 0.65) await postCustomerMessage(deps, karen, number, { body: 'more' });
          else if (roll < 0.8) await resolve(deps, boss, number);
          else if (roll < 0.9) await reopen(deps, boss, number, { reason: 'again' });
          else await close(deps, boss, number, { reason: 'done' });
        }
      } catch (err) {
        // Jane outside Support, or a transition the lifecycle refuses: the desk says no, nothing happened.
        if (!(err instanceof AppError)) throw err;
      }
      // The scheduler records breaches (and may auto-close or auto-assign) as it would in production.
      if (random() < 0.25) await runSchedulerPass(deps);
    }
    const num = <T extends object>(rows: T[]) =>
      rows.map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            typeof v === 'string' && /^\d+$/.test(v) && k !== 'number' ? Number(v) : v,
          ]),
        ),
      ) as T[];
    raw = {
      tickets: num(await db.selectFrom('tickets').selectAll().execute()),
      entries: num(
        await db
          .selectFrom('thread_entries')
          .select(['ticket_id', 'kind', 'author_agent_id', 'created_at'])
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
      ),
      events: num(
        await db
          .selectFrom('ticket_events')
          .select(['ticket_id', 'type', 'data', 'actor_id', 'created_at'])
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
      ),
      breaches: num(
        await db
          .selectFrom('sla_events')
          .select(['ticket_id', 'clock', 'due_at'])
          .where('stage', '=', 'breach')
          .execute(),
      ),
      targeted: new Set(),
    };
    const plans = new Map(
      (await db.selectFrom('sla_plans').select(['id', 'targets']).execute()).map((p) => [
        Number(p.id),
        JSON.parse(p.targets) as Record<string, { firstResponse?: number; resolution?: number }>,
      ]),
    );
    for (const t of raw.tickets) {
      const target =
        t.sla_plan_id === null ? undefined : plans.get(t.sla_plan_id)?.[String(t.priority_level)];
      if (target?.firstResponse && target.resolution) raw.targeted.add(t.id);
    }
    expect(raw.tickets.length).toBeGreaterThan(10);
    // Signed in at the end: a session would expire over the simulated days.
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
  }, 120_000);
  afterAll(async () => api?.close());

  const cases = () => {
    const random = rng(7);
    const out: { query: string; from: number; days: number; keep: (t: Ticket) => boolean }[] = [];
    out.push({ query: '', from: START, days: DAYS, keep: () => true });
    for (let i = 0; i < 6; i++) {
      const first = Math.floor(random() * (DAYS - 1));
      const days = 1 + Math.floor(random() * (DAYS - first));
      const dept = dims.departments[i % 3]!;
      const prio = dims.priorities[i % 4]!;
      const channel = (['email', 'web', 'phone'] as const)[i % 3];
      const filters: [string, (t: Ticket) => boolean][] = [
        [`department=${dept}`, (t) => t.department_id === dept],
        [`priority=${prio}`, (t) => t.priority_id === prio],
        [`channel=${channel}`, (t) => t.source === channel],
      ];
      const [query, keep] = filters[i % 3]!;
      out.push({ query, from: START + first * DAY, days, keep });
    }
    return out;
  };

  it('volume, speed, SLA and agents match a direct computation for every range and filter', async () => {
    // The desk exercised every path: resolutions, reopens, closes and responses.
    const all = expected(raw, START, DAYS, () => true);
    const sum = (k: 'resolved' | 'reopened' | 'closed') => all.series.reduce((n, r) => n + r[k], 0);
    expect([sum('resolved'), sum('reopened'), sum('closed')].every((n) => n > 2)).toBe(true);
    expect(Math.min(all.firstResponse.count, all.resolution.count)).toBeGreaterThan(2);
    expect(all.sla.firstResponse.breached + all.sla.resolution.breached).toBeGreaterThan(2);
    expect(all.sla.firstResponse.met + all.sla.resolution.met).toBeGreaterThan(2);
    for (const c of cases()) {
      const range = `from=${label(c.from)}&to=${label(c.from + (c.days - 1) * DAY)}&${c.query}`;
      const want = expected(raw, c.from, c.days, c.keep);
      const res = await admin.get(`/api/v1/reports/volume?${range}`);
      expect(res.status, res.body).toBe(200);
      const volume = res.json;
      expect(volume.series, range).toEqual(want.series);
      const speed = (await admin.get(`/api/v1/reports/speed?${range}`)).json;
      expect(
        [
          speed.firstResponse.count,
          speed.firstResponse.calendar.meanMs,
          speed.firstResponse.calendar.medianMs,
        ],
        range,
      ).toEqual([want.firstResponse.count, want.firstResponse.mean, want.firstResponse.median]);
      expect(
        [speed.resolution.count, speed.resolution.calendar.meanMs, speed.resolution.calendar.medianMs],
        range,
      ).toEqual([want.resolution.count, want.resolution.mean, want.resolution.median]);
      // No plan here has business hours: business time is calendar time.
      expect(speed.resolution.business, range).toEqual(speed.resolution.calendar);
      const sla = (await admin.get(`/api/v1/reports/sla?${range}`)).json;
      expect(
        [sla.firstResponse, sla.resolution].map((c) => ({ met: c.met, breached: c.breached })),
        range,
      ).toEqual([want.sla.firstResponse, want.sla.resolution]);
      const agents = (await admin.get(`/api/v1/reports/agents?${range}`)).json.rows;
      const replies = new Map(
        agents.map((r: { agentId: number; replies: number }) => [r.agentId, r.replies]),
      );
      for (const [agent, n] of want.replies) expect(replies.get(agent), range).toBe(n);
    }
  });

  it('gives an agent only the tickets of their departments', async () => {
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const range = `from=${label(START)}&to=${label(START + (DAYS - 1) * DAY)}`;
    const support = dims.departments[0]!;
    const want = expected(raw, START, DAYS, (t) => t.department_id === support);
    expect((await jane.get(`/api/v1/reports/volume?${range}`)).json.series).toEqual(want.series);
  });
});
