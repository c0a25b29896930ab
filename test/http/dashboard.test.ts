import { afterAll, beforeAll, expect, it } from 'vitest';
import { putSetting } from '../../src/modules/settings/settings.service.ts';
import { close, reopen, resolve } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { idByName, newTicket } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness } from '../support/http.ts';
import { DashboardOut } from '../../src/contract/dashboard.contract.ts';

// The dashboard's counts against values worked out by hand, with "today" and
// "this week" in a desk time zone that is not UTC (Berlin, UTC+1 in January):
// today starts 2025-01-07 23:00 UTC, this week on Monday 2025-01-05 23:00 UTC.

const at = (day: number, h: number, m = 0) => Date.UTC(2025, 0, day, h, m);
const NOW = at(8, 12); // Wednesday 13:00 in Berlin

describeEachDialect('dashboard', (handle) => {
  let api: Harness;

  const dashboardOf = async (email: string, password: string) => {
    const session = await api.login(email, password);
    const res = await session.get('/api/v1/dashboard');
    expect(res.status, res.body).toBe(200);
    return res.as(DashboardOut);
  };

  beforeAll(async () => {
    api = await startHarness(handle().db, { now: at(6, 9) });
    const { deps, clock, db, admin, jane } = api.desk;
    await putSetting(db, 'automation', { timezone: 'Europe/Berlin', schedulerSeconds: 30 }, at(6, 9));
    const support = await idByName(db, 'departments', 'Support');
    const sysadmin = await idByName(db, 'departments', 'SysAdmin');
    const make = async (created: number, set: { department: number; assignee?: number; dueAt: number }) => {
      clock.set(created);
      const t = await newTicket(deps, { subject: `at ${created}` });
      await db
        .updateTable('tickets')
        .set({ department_id: set.department, assignee_id: set.assignee ?? null, sla_due_at: set.dueAt })
        .where('id', '=', t.id)
        .execute();
      return t;
    };
    // T4: Support, resolved yesterday evening in Berlin (22:00 UTC = 23:00).
    const t4 = await make(at(6, 9), { department: support, dueAt: at(9, 9) });
    clock.set(at(7, 22));
    await resolve(deps, admin, t4.number);
    // T1: created yesterday (23:30 Berlin), Jane's, due in 2 h: due today.
    const t1 = await make(at(7, 22, 30), {
      department: support,
      assignee: jane.id,
      dueAt: NOW + 2 * 3600_000,
    });
    // T2: created today (00:30 Berlin), unassigned, overdue by an hour.
    const t2 = await make(at(7, 23, 30), { department: support, dueAt: NOW - 3600_000 });
    // T3: SysAdmin, created and resolved today, was due tomorrow.
    const t3 = await make(at(8, 10), { department: sysadmin, dueAt: at(8, 23, 30) });
    clock.set(at(8, 11));
    await resolve(deps, admin, t3.number);
    // T5: Support, created and closed straight from open today: resolved today.
    const t5 = await make(at(8, 9), { department: support, dueAt: at(9, 9) });
    clock.set(at(8, 9, 30));
    await close(deps, admin, t5.number, { reason: 'duplicate' });
    // T6: Support, resolved today then reopened: no longer resolved; due tomorrow 10:00 Berlin.
    const t6 = await make(at(8, 9, 10), { department: support, dueAt: at(9, 9) });
    clock.set(at(8, 9, 20));
    await resolve(deps, admin, t6.number);
    clock.set(at(8, 9, 40));
    await reopen(deps, admin, t6.number, { reason: 'not fixed' });
    await db
      .updateTable('tickets')
      .set({ sla_due_at: at(9, 9) })
      .where('id', '=', t6.id)
      .execute();
    clock.set(NOW);
    const rating = (ticketId: number, department: number, score: number, created: number) => ({
      ticket_id: ticketId,
      scale: 'five' as const,
      score,
      department_id: department,
      created_at: created,
      updated_at: created,
    });
    await db
      .insertInto('ticket_ratings')
      .values([
        rating(t4.id, support, 5, at(7, 22, 10)),
        rating(t3.id, sysadmin, 2, at(8, 11, 30)),
        // Monday 00:30 in Berlin, still Sunday in UTC: this week.
        rating(t2.id, support, 3, at(5, 23, 30)),
        // Sunday 23:00 in Berlin: last week.
        rating(t1.id, support, 4, at(5, 22)),
      ])
      .execute();
  });
  afterAll(async () => api?.close());

  it('an admin sees every department', async () => {
    expect(await dashboardOf('admin@deskline.local', PASSWORDS.admin)).toEqual({
      myOpen: 0,
      dueToday: 1, // T1 (T3 was due tomorrow and is resolved)
      overdue: 1, // T2
      unassignedInMyDepartments: 2, // T2, T6
      createdToday: 4, // T2, T3, T5, T6
      resolvedToday: 2, // T3, T5 (T4 was resolved yesterday in Berlin, T6 reopened)
      csatThisWeek: { responses: 3, score: 33.3 },
      cap: 1000,
      capped: [],
    });
  });

  it('an agent sees only the departments they work in', async () => {
    expect(await dashboardOf('jane@deskline.local', PASSWORDS.agent)).toMatchObject({
      myOpen: 1,
      dueToday: 1,
      overdue: 1,
      unassignedInMyDepartments: 2,
      createdToday: 3,
      resolvedToday: 1,
      csatThisWeek: { responses: 2, score: 50 },
    });
    // Jerry works in SysAdmin only: T3.
    expect(await dashboardOf('jerry@deskline.local', PASSWORDS.agent)).toMatchObject({
      myOpen: 0,
      dueToday: 0,
      overdue: 0,
      unassignedInMyDepartments: 0,
      createdToday: 1,
      resolvedToday: 1,
      csatThisWeek: { responses: 1, score: 0 },
    });
  });

  it('the day turns at midnight in the desk time zone', async () => {
    api.desk.clock.set(at(8, 23, 30)); // 00:30 on Thursday in Berlin
    const next = await dashboardOf('admin@deskline.local', PASSWORDS.admin);
    // T1 and T2 are overdue now; T6 falls due today (10:00).
    expect(next).toMatchObject({ createdToday: 0, resolvedToday: 0, overdue: 2, dueToday: 1 });
    api.desk.clock.set(NOW);
  });

  it('customers may not read it', async () => {
    const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    expect((await karen.get('/api/v1/dashboard')).status).toBe(403);
    expect((await api.anonymous.get('/api/v1/dashboard')).status).toBe(401);
  });
});
