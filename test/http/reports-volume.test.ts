import { afterAll, beforeAll, expect, it } from 'vitest';
import { putSetting } from '../../src/modules/settings/settings.service.ts';
import { close, reopen, resolve } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { idByName, newTicket } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';
import { VolumeOut } from '../../src/contract/reports.contract.ts';

// The volume report against counts worked out by hand, its filters, weeks,
// the desk time zone, CSV, range checks and who may read it.

const at = (day: number, h: number, m = 0) => Date.UTC(2025, 0, day, h, m);

describeEachDialect('volume report', (handle) => {
  let api: Harness;
  let admin: Session;
  let sysadmin: number;

  const volume = async (query: string, session: Session = admin) => {
    const res = await session.get(`/api/v1/reports/volume?${query}`);
    expect(res.status, res.body).toBe(200);
    return res.as(VolumeOut);
  };

  beforeAll(async () => {
    api = await startHarness(handle().db, { now: at(5, 12) });
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    sysadmin = await idByName(api.desk.db, 'departments', 'SysAdmin');
    const { deps, clock, admin: boss } = api.desk;
    // C: opened before the range and never answered — the backlog the range starts with.
    await newTicket(deps, { subject: 'C' });
    clock.set(at(6, 9));
    const a = await newTicket(deps, { subject: 'A' });
    clock.set(at(6, 10));
    const b = await newTicket(deps, { subject: 'B', department: sysadmin });
    clock.set(at(7, 9));
    await resolve(deps, boss, a.number);
    clock.set(at(7, 10));
    await reopen(deps, boss, a.number, { reason: 'not fixed' });
    clock.set(at(7, 11));
    await close(deps, boss, b.number, { reason: 'duplicate' });
    clock.set(at(8, 9));
    await resolve(deps, boss, a.number);
    clock.set(at(8, 23, 30));
    await close(deps, boss, a.number, { reason: 'done' });
    await api.runJobs(); // the reports.refresh jobs of these changes
  });
  afterAll(async () => api?.close());

  it('counts each day and carries the backlog', async () => {
    expect(await volume('from=2025-01-06&to=2025-01-08')).toEqual({
      series: [
        { period: '2025-01-06', created: 2, resolved: 0, closed: 0, reopened: 0, backlog: 3 },
        // B closed straight from open counts as resolved and closed; A's reopen adds it back.
        { period: '2025-01-07', created: 0, resolved: 2, closed: 1, reopened: 1, backlog: 2 },
        // Closing the resolved A is a close, not a second resolution.
        { period: '2025-01-08', created: 0, resolved: 1, closed: 1, reopened: 0, backlog: 1 },
      ],
      totals: { created: 2, resolved: 3, closed: 2, reopened: 1 },
    });
  });

  it('filters by department and groups by week (weeks start on Monday)', async () => {
    const dept = await volume(`from=2025-01-06&to=2025-01-08&department=${sysadmin}`);
    expect(dept.totals).toEqual({ created: 1, resolved: 1, closed: 1, reopened: 0 });
    expect(dept.series.map((r) => r.backlog)).toEqual([1, 0, 0]);
    const weeks = await volume('from=2025-01-01&to=2025-01-14&interval=week');
    expect(weeks.series.map((r) => [r.period, r.created])).toEqual([
      ['2025-01-01', 1],
      ['2025-01-06', 2],
      ['2025-01-13', 0],
    ]);
  });

  it('cuts days in the desk time zone', async () => {
    // 23:30 UTC on the 8th is already the 9th in Berlin: A's close moves a day later.
    await putSetting(
      api.desk.db,
      'automation',
      { timezone: 'Europe/Berlin', schedulerSeconds: 30 },
      api.desk.clock.now(),
    );
    await api.runJobs(); // the zone change remade the report facts
    try {
      const r = await volume('from=2025-01-08&to=2025-01-09');
      expect(r.series.map((x) => x.closed)).toEqual([0, 1]);
    } finally {
      await putSetting(
        api.desk.db,
        'automation',
        { timezone: 'UTC', schedulerSeconds: 30 },
        api.desk.clock.now(),
      );
      await api.runJobs();
    }
  });

  it('downloads the same rows as CSV', async () => {
    const res = await admin.get('/api/v1/reports/volume?from=2025-01-06&to=2025-01-07&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="volume-2025-01-06-to-2025-01-07.csv"',
    );
    expect(res.body).toBe(
      'period,created,resolved,closed,reopened,backlog\r\n2025-01-06,2,0,0,0,3\r\n2025-01-07,0,2,1,1,2\r\n',
    );
  });

  it('limits agents to their departments and refuses customers', async () => {
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    // Jane works in Support only: B (SysAdmin) is not hers.
    expect((await volume('from=2025-01-06&to=2025-01-08', jane)).totals.created).toBe(1);
    const other = await jane.get(
      `/api/v1/reports/volume?from=2025-01-06&to=2025-01-08&department=${sysadmin}`,
    );
    expect(other.status).toBe(403);
    const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    expect((await karen.get('/api/v1/reports/volume?from=2025-01-06&to=2025-01-08')).status).toBe(403);
    expect((await api.anonymous.get('/api/v1/reports/volume?from=2025-01-06&to=2025-01-08')).status).toBe(
      401,
    );
  });

  it('answers 422 with a stable code for bad ranges and ids', async () => {
    const code = async (q: string) => {
      const res = await admin.get(`/api/v1/reports/volume?${q}`);
      expect(res.status, q).toBe(422);
      return res.error().code;
    };
    expect(await code('from=2025-01-08&to=2025-01-06')).toBe('range_reversed');
    expect(await code('from=2024-01-01&to=2025-01-01')).toBe('range_too_long');
    expect(await code('from=2025-02-30&to=2025-03-01')).toBe('invalid_date');
    expect(await code('from=2025-01-01&to=2025-01-02&agent=999999')).toBe('unknown_filter');
    expect(await code('from=2025-01-01&to=2025-01-02&channel=fax')).toBe('validation_failed');
  });
});
