import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ticket, TicketSource } from '../../src/db/schema.ts';
import { runSchedulerPass } from '../../src/jobs/scheduler.ts';
import { AppError } from '../../src/lib/errors.ts';
import { updateRow, createRow } from '../../src/modules/directory/directory.admin.service.ts';
import { departments as departmentResource } from '../../src/modules/directory/directory.admin-tables.ts';
import { slaPlans } from '../../src/modules/sla/sla.admin-tables.ts';
import { postCustomerMessage, postReply } from '../../src/modules/threads/threads.service.ts';
import { rebuildFacts } from '../../src/modules/reports/reports.facts.service.ts';
import { SYSTEM } from '../../src/modules/auth/auth.actor.ts';
import { close, deleteTicket, reopen, resolve } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { idByName, newTicket } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';
import { DAY, HOUR, expected, label, rng, type Raw } from '../support/reports-oracle.ts';
import {
  AgentsOut,
  CsatOut,
  SlaReportOut,
  SpeedOut,
  VolumeOut,
} from '../../src/contract/reports.contract.ts';

// A randomized desk (fixed seed) worked through the real services, then every
// report, with filters, compared with a computation written independently
// from the raw tickets, thread and events (test/support/reports-oracle.ts).

const START = Date.UTC(2025, 2, 3);
const DAYS = 12;

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
    // Billing works office hours, so its business times differ from calendar times.
    const office = await createRow(deps, slaPlans, {
      name: 'Office hours (UTC)',
      targets: {
        '2': { firstResponse: 240, resolution: 1440 },
        '3': { firstResponse: 120, resolution: 960 },
      },
      calendar: {
        timezone: 'UTC',
        hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])),
      },
    });
    await updateRow(deps, departmentResource, dims.departments[1]!, { slaPlan: office.id });
    const sources: TicketSource[] = ['email', 'web', 'phone', 'api'];
    const open: string[] = [];
    // One path the dice rarely take: a pending ticket closed straight away (it leaves work).
    const waiting = await newTicket(deps, { subject: 'pending, then closed' });
    clock.advance(HOUR);
    await postReply(deps, boss, waiting.number, { body: 'waiting on you', setState: 'pending' });
    clock.advance(HOUR);
    await close(deps, boss, waiting.number, { reason: 'no answer' });
    // And a conversation: each customer message (two in a row once) waits for the next reply.
    const talk = await newTicket(deps, { subject: 'back and forth', department: 'Billing' });
    for (const step of ['reply', 'message', 'message', 'reply', 'message', 'reply', 'message', 'reply']) {
      clock.advance(Math.floor(random() * 3 * HOUR) + 60_000);
      if (step === 'reply') await postReply(deps, boss, talk.number, { body: 'answer' });
      else await postCustomerMessage(deps, karen, talk.number, { body: 'question' });
    }
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
          if (roll < 0.6) {
            // Some replies leave the ticket pending (awaiting the customer).
            const pending = random() < 0.3 ? { setState: 'pending' as const } : {};
            await postReply(deps, pick([boss, boss, jane]), number, { body: 'reply', ...pending });
          } else if (roll < 0.72) await postCustomerMessage(deps, karen, number, { body: 'more' });
          else if (roll < 0.82) await resolve(deps, boss, number);
          else if (roll < 0.9) await reopen(deps, boss, number, { reason: 'again' });
          else await close(deps, boss, number, { reason: 'done' });
        }
      } catch (err) {
        // Jane outside Support, or a transition the lifecycle refuses: the desk says no, nothing happened.
        if (!(err instanceof AppError)) throw err;
      }
      // The scheduler records breaches (and may auto-close or auto-assign) as it would in production.
      if (random() < 0.25) await runSchedulerPass(deps);
      // The worker catches up now and then, so most facts and the rollup move change by change.
      if (random() < 0.15) await api.runJobs();
      // Now and then the customer answers one of the surveys mailed so far (the token is in the mail job).
      if (random() < 0.2) {
        const jobs = await db
          .selectFrom('jobs')
          .select('payload')
          .where('type', '=', 'mail.survey')
          .execute();
        const job = jobs.length > 0 ? pick(jobs) : undefined;
        if (job) {
          const { token } = JSON.parse(job.payload) as { token: string };
          const score = 1 + Math.floor(random() * 5);
          const comment = random() < 0.5 ? `score ${score}` : '';
          const res = await api.anonymous.post(`/api/v1/surveys/${token}`, { score, comment });
          expect([200, 409], res.body).toContain(res.status); // 409: its answer window has passed
        }
      }
    }
    await api.runJobs(); // the reports.refresh jobs the changes queued
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
      office: Number(office.id),
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
      surveys: num(await db.selectFrom('survey_requests').select(['ticket_id', 'sent_at']).execute()),
      ratings: num(
        await db
          .selectFrom('ticket_ratings')
          .select(['ticket_id', 'score', 'comment', 'agent_id', 'created_at'])
          .execute(),
      ),
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
    const org = raw.tickets.find((t) => t.organization_id !== null)?.organization_id;
    const agent = api.desk.jane.id;
    for (let i = 0; i < 10; i++) {
      const first = Math.floor(random() * (DAYS - 1));
      const days = 1 + Math.floor(random() * (DAYS - first));
      const dept = dims.departments[i % 3]!;
      const prio = dims.priorities[i % 4]!;
      const channel = (['email', 'web', 'phone'] as const)[i % 3];
      // A department is in the rollup's key; the others are counted from the facts' covering indexes.
      const filters: [string, (t: Ticket) => boolean][] = [
        [`department=${dept}`, (t) => t.department_id === dept],
        [`priority=${prio}`, (t) => t.priority_id === prio],
        [`channel=${channel}`, (t) => t.source === channel],
        [`agent=${agent}`, (t) => t.assignee_id === agent],
        [`organization=${org}`, (t) => t.organization_id === org],
      ];
      const [query, keep] = filters[i % 5]!;
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
    expect(Math.min(all.nextResponse.count, all.csat.responses, all.csat.comments)).toBeGreaterThan(2);
    // Office hours made a difference: business time is not calendar time here.
    for (const m of ['firstResponse', 'nextResponse', 'resolution'] as const)
      expect(all.business[m].mean, m).toBeLessThan(all[m].mean!);
    for (const c of cases()) {
      const range = `from=${label(c.from)}&to=${label(c.from + (c.days - 1) * DAY)}&${c.query}`;
      const want = expected(raw, c.from, c.days, c.keep);
      const res = await admin.get(`/api/v1/reports/volume?${range}`);
      expect(res.status, res.body).toBe(200);
      const volume = res.as(VolumeOut);
      expect(volume.series, range).toEqual(want.series);
      const speed = (await admin.get(`/api/v1/reports/speed?${range}`)).as(SpeedOut);
      expect(speed.series, `speed series ${range}`).toEqual(want.speedSeries);
      for (const m of ['firstResponse', 'nextResponse', 'resolution'] as const) {
        const got = speed[m];
        expect(
          {
            count: got.count,
            mean: got.calendar.meanMs,
            median: got.calendar.medianMs,
            p90: got.calendar.p90Ms,
          },
          `${m} ${range}`,
        ).toEqual(want[m]);
      }
      for (const m of ['firstResponse', 'nextResponse', 'resolution'] as const) {
        const got = speed[m].business;
        expect(
          { count: speed[m].count, mean: got.meanMs, median: got.medianMs, p90: got.p90Ms },
          `${m} in business time ${range}`,
        ).toEqual(want.business[m]);
      }
      const sla = (await admin.get(`/api/v1/reports/sla?${range}`)).as(SlaReportOut);
      expect(
        [sla.firstResponse, sla.resolution].map((c) => ({ met: c.met, breached: c.breached })),
        range,
      ).toEqual([want.sla.firstResponse, want.sla.resolution]);
      const agents = (await admin.get(`/api/v1/reports/agents?${range}`)).as(AgentsOut).rows;
      const replies = new Map(agents.map((r) => [r.agentId, r.replies]));
      for (const [agent, n] of want.replies) expect(replies.get(agent), range).toBe(n);
      for (const row of agents)
        expect([row.resolved, row.firstResponseMedianMs], `agent ${row.agentId} ${range}`).toEqual([
          want.agentResolved.get(row.agentId) ?? 0,
          want.agentFirstMedian.get(row.agentId) ?? null,
        ]);
      const csat = (await admin.get(`/api/v1/reports/csat?${range}`)).as(CsatOut);
      expect({ ...csat, comments: csat.comments.length }, range).toEqual(want.csat);
    }
  });

  it('keeps the rollup change by change exactly as a rebuild makes it', async () => {
    const hist = async () =>
      (
        await api.desk.db
          .selectFrom('report_hist')
          .selectAll()
          .where('n', '!=', 0)
          .orderBy(['kind', 'clock', 'day', 'department_id', 'bucket'])
          .execute()
      ).map((r) => Object.values(r).map(Number));
    // A ticket deleted leaves the rollup with its facts.
    const gone = raw.tickets.find((t) => t.resolved_at !== null && t.department_id !== dims.departments[0])!;
    await deleteTicket(api.desk.deps, SYSTEM, gone.number);
    const kept = await hist();
    expect(kept.length).toBeGreaterThan(10);
    await rebuildFacts(api.desk.db);
    expect(await hist()).toEqual(kept);
  });

  it('gives an agent only the tickets of their departments', async () => {
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const range = `from=${label(START)}&to=${label(START + (DAYS - 1) * DAY)}`;
    const support = dims.departments[0]!;
    const want = expected(raw, START, DAYS, (t) => t.department_id === support);
    expect((await jane.get(`/api/v1/reports/volume?${range}`)).as(VolumeOut).series).toEqual(want.series);
  });
});
