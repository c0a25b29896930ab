import { beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { runSchedulerPass, Scheduler, takeLease } from '../../src/jobs/scheduler.ts';
import { postCustomerMessage, postReply } from '../../src/modules/threads/threads.service.ts';
import { resolve } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect, PG_URL } from '../support/db.ts';
import {
  eventsFor,
  jobTypesFor,
  loadDesk,
  makeDeps,
  newTicket,
  reload,
  seedDesk,
  T0,
  type Desk,
} from '../support/factories.ts';

// Auto-close: a resolved ticket closes after its department's delay (Support:
// 7 days, SysAdmin: 14) with one closing notice, even when two schedulers run
// at the same moment; the customer's reply afterwards reopens it or, after the
// reopen window, opens a follow-up linked to it.

const DAY = 24 * 3_600_000;

describeEachDialect('auto-close by the scheduler', (handle, dialect) => {
  let desk: Desk;

  beforeAll(async () => {
    await seedDesk(handle().db);
    desk = await loadDesk(handle().db);
  });

  const resolvedAt = async (when: number, department = 'Support') => {
    desk.clock.set(when - 1000);
    const t = await newTicket(desk.deps, { department, subject: `${department} ${when}` });
    desk.clock.set(when);
    await resolve(desk.deps, desk.admin, t.number);
    return t;
  };

  it('closes a ticket resolved 7 days ago once, with one notice, with two schedulers at once', async () => {
    const due = await resolvedAt(T0);
    const early = await resolvedAt(T0 + 2 * DAY);
    const sysadmin = await resolvedAt(T0, 'SysAdmin'); // 14 days there
    const other =
      dialect === 'postgres' ? openDatabase(PG_URL, { schema: handle().schema!, poolSize: 4 }) : undefined;
    try {
      const now = T0 + 7 * DAY + 60_000;
      const a = makeDeps(desk.db, now);
      const b = makeDeps(other?.db ?? desk.db, now);
      const reports = await Promise.all([runSchedulerPass(a), runSchedulerPass(b)]);
      expect(reports.map((r) => r.autoClosed).reduce((x, y) => x + y)).toBe(1);
      await Promise.all([runSchedulerPass(a), runSchedulerPass(b)]);
    } finally {
      await other?.close();
    }
    const closed = await reload(desk.db, due.id);
    expect(closed).toMatchObject({ state: 'closed', closed_at: T0 + 7 * DAY + 60_000 });
    const events = await eventsFor(desk.db, due.id);
    expect(events.filter((e) => e.type === 'closed')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: 'closed',
      actor_type: 'system',
      data: { reason: 'no reply from the customer' },
    });
    expect((await jobTypesFor(desk.db, due.id)).filter((j) => j === 'mail.closed')).toHaveLength(1);
    expect((await reload(desk.db, early.id)).state).toBe('resolved');
    expect((await reload(desk.db, sysadmin.id)).state).toBe('resolved');
  });

  it('a reply within the reopen window reopens; after it, a new ticket linked to the old one', async () => {
    const t = await resolvedAt(T0 + 100 * DAY);
    const later = makeDeps(desk.db, T0 + 108 * DAY);
    // This one and the two the first test left resolved (early, sysadmin): all past their 7 days.
    expect((await runSchedulerPass(later)).autoClosed).toBe(3);
    expect((await reload(desk.db, t.id)).state).toBe('closed');
    // Reopen window: 14 days from closing.
    later.clock.set(T0 + 110 * DAY);
    const { ticket: reopened } = await postCustomerMessage(later, desk.karen, t.number, {
      body: 'It broke again',
    });
    expect(reopened).toMatchObject({ id: t.id, state: 'open', reopen_count: 1 });

    const u = await resolvedAt(T0 + 200 * DAY);
    later.clock.set(T0 + 208 * DAY);
    await runSchedulerPass(later);
    later.clock.set(T0 + 208 * DAY + 15 * DAY);
    const { ticket: followUp } = await postCustomerMessage(later, desk.karen, u.number, {
      body: 'Same problem',
    });
    expect(followUp.id).not.toBe(u.id);
    expect(followUp.linked_ticket_id).toBe(u.id);
    expect((await reload(desk.db, u.id)).state).toBe('closed');
  });

  it('a ticket awaiting the customer for 3 days gets one reminder per wait', async () => {
    const start = T0 + 400 * DAY;
    desk.clock.set(start);
    const t = await newTicket(desk.deps, { subject: 'Waiting on Karen' });
    await postReply(desk.deps, desk.jane, t.number, { body: 'Which version?', setState: 'pending' });
    const at = (ms: number) => makeDeps(desk.db, start + ms);
    const reminders = async () =>
      (await jobTypesFor(desk.db, t.id)).filter((j) => j === 'mail.reminder').length;
    expect((await runSchedulerPass(at(2 * DAY))).reminded).toBe(0);
    expect((await runSchedulerPass(at(3 * DAY + 60_000))).reminded).toBe(1);
    await runSchedulerPass(at(7 * DAY));
    await runSchedulerPass(at(30 * DAY));
    expect(await reminders()).toBe(1);
    expect((await eventsFor(desk.db, t.id)).at(-1)).toMatchObject({
      type: 'reminder_sent',
      actor_type: 'system',
    });
    // The customer answers, the agent asks again: a new wait, a new reminder.
    const later = at(31 * DAY);
    await postCustomerMessage(later, desk.karen, t.number, { body: 'Version 2' });
    await postReply(later, desk.jane, t.number, { body: 'And the OS?', setState: 'pending' });
    await runSchedulerPass(at(35 * DAY));
    expect(await reminders()).toBe(2);
  });

  it('the Scheduler runs its passes on its own, and only the lease holder does', async () => {
    const t = await resolvedAt(T0 + 300 * DAY);
    const deps = makeDeps(desk.db, T0 + 308 * DAY);
    const holder = new Scheduler(deps);
    const idle = new Scheduler(deps);
    holder.start();
    try {
      for (let i = 0; i < 50 && (await reload(desk.db, t.id)).state !== 'closed'; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect((await reload(desk.db, t.id)).state).toBe('closed');
      expect(await takeLease(deps, 'scheduler', idle.holder, 60_000)).toBe(false);
    } finally {
      await holder.stop();
    }
  });

  it('the lease: one holder at a time, taken over once it expires', async () => {
    const deps = makeDeps(desk.db, T0);
    expect(await takeLease(deps, 'lease-test', 'one', 60_000)).toBe(true);
    expect(await takeLease(deps, 'lease-test', 'two', 60_000)).toBe(false);
    expect(await takeLease(deps, 'lease-test', 'one', 60_000)).toBe(true); // renewal
    deps.clock.advance(61_000);
    expect(await takeLease(deps, 'lease-test', 'two', 60_000)).toBe(true);
    expect(await takeLease(deps, 'lease-test', 'one', 60_000)).toBe(false);
  });
});
