import { beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import type { Ticket } from '../../src/db/schema.ts';
import { runSchedulerPass } from '../../src/jobs/scheduler.ts';
import { createRow } from '../../src/modules/directory/directory.admin.service.ts';
import { departments } from '../../src/modules/directory/directory.admin-tables.ts';
import { updateAgent } from '../../src/modules/directory/agents.admin.service.ts';
import { slaPlans } from '../../src/modules/sla/sla.admin-tables.ts';
import { postCustomerMessage, postReply } from '../../src/modules/threads/threads.service.ts';
import { assign, setPriority, setStatus } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect, PG_URL } from '../support/db.ts';
import {
  eventsFor,
  jobsFor,
  loadDesk,
  makeDeps,
  newTicket,
  reload,
  seedDesk,
  type Desk,
} from '../support/factories.ts';

// SLA clocks in business hours (Mon–Fri 09:00–17:00 London), their pauses,
// and the scheduler's warnings, breaches and escalations, fired exactly once.

const MIN = 60_000;
const HOUR = 60 * MIN;
/** London is on UTC in January: local times below are UTC instants. */
const at = (day: number, h: number, m = 0) => Date.UTC(2025, 0, day, h, m);
const FRI_16 = at(10, 16);

describeEachDialect('SLA clocks and escalation', (handle, dialect) => {
  let desk: Desk;
  let office: number;

  beforeAll(async () => {
    await seedDesk(handle().db);
    desk = await loadDesk(handle().db, FRI_16);
    const plan = await createRow(desk.deps, slaPlans, {
      name: 'Office hours',
      targets: {
        '2': { firstResponse: 120, nextResponse: 60, resolution: 960 },
        '3': { firstResponse: 60, resolution: 480 },
      },
      calendar: {
        timezone: 'Europe/London',
        hours: {
          mon: [['09:00', '17:00']],
          tue: [['09:00', '17:00']],
          wed: [['09:00', '17:00']],
          thu: [['09:00', '17:00']],
          fri: [['09:00', '17:00']],
        },
        holidays: ['2025-01-15'],
      },
      escalation: {
        warnAtPercent: 80,
        onWarning: [{ type: 'notify', to: ['assignee'] }],
        onBreach: [{ type: 'notify', to: ['assignee', 'manager'] }, { type: 'raise_priority' }],
      },
    });
    office = plan.id;
    await createRow(desk.deps, departments, {
      name: 'Office',
      slaPlan: office,
      manager: 'jerry@deskline.local',
    });
    // Jane works the Office department too.
    await updateAgent(desk.deps, desk.jane.id, {
      departments: [{ department: 'Support' }, { department: 'Office' }],
    });
    desk = await loadDesk(handle().db, FRI_16);
  });

  const open = () =>
    newTicket(desk.deps, { department: 'Office', priority: 'Normal', assignee: desk.jane.id });

  it('due times count business hours only, from a ticket opened late on Friday', async () => {
    desk.clock.set(FRI_16);
    const t = await open();
    // 1 h on Friday, then Monday: first response (2 h) Mon 10:00; resolution (16 h) Tue 16:00.
    expect(t.sla_first_due_at).toBe(at(13, 10));
    expect(t.sla_resolve_due_at).toBe(at(14, 16));
    expect(t.sla_due_at).toBe(at(13, 10));
    expect(t.sla_next_due_at).toBeNull();
    // The warning at 80 % of 2 h (96 min): Friday's last hour, then Mon 09:36.
    expect(t.sla_check_at).toBe(at(13, 9, 36));
  });

  it('awaiting the customer pauses the clock; the business time paused moves the targets out', async () => {
    desk.clock.set(FRI_16);
    const t = await open();
    desk.clock.set(at(13, 9, 30));
    await postReply(desk.deps, desk.jane, t.number, { body: 'Can you send the log?', setState: 'pending' });
    const paused = await reload(desk.db, t.id);
    expect(paused).toMatchObject({
      state: 'pending',
      sla_due_at: null,
      sla_check_at: null,
      sla_paused_at: at(13, 9, 30),
    });
    // Paused Mon 09:30 → Tue 10:00: 7.5 h + 1 h = 8.5 business hours.
    desk.clock.set(at(14, 10));
    const { ticket: back } = await postCustomerMessage(desk.deps, desk.karen, t.number, {
      body: 'Here it is',
    });
    expect(back.sla_paused_ms).toBe(8.5 * HOUR);
    expect(back.sla_paused_at).toBeNull();
    expect(back.sla_first_due_at).toBeNull(); // answered
    // Resolution Tue 16:00 + 8.5 h → Wed 15 is a holiday → Thu 16 at 16:30.
    expect(back.sla_resolve_due_at).toBe(at(16, 16, 30));
    // The customer's message starts the next-response clock: 1 h.
    expect(back.sla_next_due_at).toBe(at(14, 11));
    expect(back.sla_due_at).toBe(at(14, 11));
  });

  it('a priority change recomputes the due times', async () => {
    desk.clock.set(at(13, 9));
    const t = await open();
    expect(t.sla_first_due_at).toBe(at(13, 11));
    desk.clock.set(at(13, 9, 10));
    const { ticket: high } = await setPriority(desk.deps, desk.jane, t.number, { priority: 'High' });
    expect(high.sla_first_due_at).toBe(at(13, 10));
    expect(high.sla_resolve_due_at).toBe(at(13, 17));
  });

  it('the scheduler fires the warning, then the breach with its escalation, each once', async () => {
    desk.clock.set(FRI_16);
    const t = await open();
    const types = async () => (await eventsFor(desk.db, t.id)).map((e) => e.type);
    const slaJobs = async () => (await jobsFor(desk.db, t.id)).filter((j) => j.type.startsWith('notify.sla'));

    desk.clock.set(at(13, 9, 35)); // one minute before the warning
    await runSchedulerPass(desk.deps);
    expect(await types()).not.toContain('sla_warning');

    desk.clock.set(at(13, 9, 40));
    await runSchedulerPass(desk.deps);
    await runSchedulerPass(desk.deps);
    expect((await types()).filter((x) => x === 'sla_warning')).toHaveLength(1);
    expect(await slaJobs()).toMatchObject([
      {
        type: 'notify.sla_warning',
        payload: { ticketId: t.id, agentIds: [desk.jane.id], clock: 'first_response' },
      },
    ]);
    expect((await reload(desk.db, t.id)).sla_check_at).toBe(at(13, 10));

    desk.clock.set(at(13, 10, 1));
    await runSchedulerPass(desk.deps);
    await runSchedulerPass(desk.deps);
    const after = await reload(desk.db, t.id);
    const events = await eventsFor(desk.db, t.id);
    expect(events.filter((e) => e.type === 'sla_breached')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'sla_breached')[0]).toMatchObject({
      actor_type: 'system',
      data: { clock: 'first_response', due: at(13, 10) },
    });
    // Escalation: alert the assignee and the manager, raise Normal → High.
    const breach = (await slaJobs()).find((j) => j.type === 'notify.sla_breach');
    expect(breach?.payload).toMatchObject({
      agentIds: [desk.jane.id, desk.jerry.id],
      clock: 'first_response',
    });
    expect(after.priority_level).toBe(3);
    expect(events.filter((e) => e.type === 'priority_changed')).toHaveLength(1);
    // High's targets apply now: its first-response clock (1 h from Friday 16:00) was missed too, but
    // one clock start breaches once, whatever its target.
    expect(after.sla_first_due_at).toBe(at(10, 17));
    await runSchedulerPass(desk.deps);
    expect((await eventsFor(desk.db, t.id)).filter((e) => e.type === 'sla_breached')).toHaveLength(1);
  });

  it('two schedulers running at once fire each warning and breach once', async () => {
    desk.clock.set(FRI_16);
    const tickets: Ticket[] = [];
    for (let i = 0; i < 20; i++) tickets.push(await open());
    // A second scheduler with its own connections (on SQLite the same file's single writer).
    const other =
      dialect === 'postgres' ? openDatabase(PG_URL, { schema: handle().schema!, poolSize: 4 }) : undefined;
    try {
      for (const when of [at(13, 9, 40), at(13, 10, 5)]) {
        const a = makeDeps(desk.db, when);
        const b = makeDeps(other?.db ?? desk.db, when);
        await Promise.all([runSchedulerPass(a), runSchedulerPass(b)]);
        await Promise.all([runSchedulerPass(a), runSchedulerPass(b)]);
      }
    } finally {
      await other?.close();
    }
    for (const t of tickets) {
      const events = await eventsFor(desk.db, t.id);
      expect(events.filter((e) => e.type === 'sla_warning')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'sla_breached')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'priority_changed')).toHaveLength(1);
      const jobs = (await jobsFor(desk.db, t.id))
        .map((j) => j.type)
        .filter((x) => x.startsWith('notify.sla'));
      expect(jobs.sort()).toEqual(['notify.sla_breach', 'notify.sla_warning']);
    }
  });

  it('a status that pauses SLA stops the clock like awaiting the customer', async () => {
    desk.clock.set(at(13, 9));
    const t = await open();
    await assign(desk.deps, desk.jane, t.number, { assignee: desk.jane.id });
    const status = await desk.db
      .insertInto('statuses')
      .values({ name: 'Waiting on vendor', state: 'open', key: null, pauses_sla: 1, sort: 9 })
      .returning('id')
      .executeTakeFirstOrThrow();
    desk.deps.reference = undefined;
    const { ticket: held } = await setStatus(desk.deps, desk.jane, t.number, { status: status.id });
    expect(held).toMatchObject({ state: 'open', sla_due_at: null, sla_paused_at: at(13, 9) });
  });
});
