import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSchedulerPass } from '../../src/jobs/scheduler.ts';
import { postReply } from '../../src/modules/threads/threads.service.ts';
import { resolve } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { newTicket } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';
import { SlaReportOut } from '../../src/contract/reports.contract.ts';

// SLA compliance: one ticket meets both clocks of the Standard plan (normal
// priority: first response 8 h, resolution 48 h, 24×7), the other breaches
// both, as the scheduler records them.

const at = (day: number, h: number, m = 0) => Date.UTC(2025, 0, day, h, m);

describeEachDialect('SLA report', (handle) => {
  let api: Harness;
  let admin: Session;
  let late: string;

  beforeAll(async () => {
    api = await startHarness(handle().db, { now: at(6, 9) });
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    const { deps, clock, admin: boss } = api.desk;
    const fine = await newTicket(deps, { subject: 'Fine' });
    late = (await newTicket(deps, { subject: 'Late' })).number;
    clock.set(at(6, 10));
    await postReply(deps, boss, fine.number, { body: 'On it' });
    clock.set(at(6, 12));
    await resolve(deps, boss, fine.number);
    clock.set(at(6, 17, 1));
    await runSchedulerPass(deps);
    clock.set(at(6, 18));
    await postReply(deps, boss, late, { body: 'Sorry for the wait' });
    clock.set(at(8, 9, 1));
    await runSchedulerPass(deps);
    clock.set(at(8, 10));
    await resolve(deps, boss, late);
    await api.runJobs(); // the reports.refresh jobs of these changes
  });
  afterAll(async () => api?.close());

  const get = async (q: string) => {
    const res = await admin.get(`/api/v1/reports/sla?${q}`);
    expect(res.status, res.body).toBe(200);
    return res;
  };

  it('counts met and breached per clock and lists the breaches', async () => {
    const r = (await get('from=2025-01-06&to=2025-01-08')).as(SlaReportOut);
    expect(r.firstResponse).toEqual({ met: 1, breached: 1, pct: 50 });
    expect(r.resolution).toEqual({ met: 1, breached: 1, pct: 50 });
    expect(r.breaches).toEqual([
      {
        number: late,
        subject: 'Late',
        clock: 'first_response',
        dueAt: at(6, 17),
        at: at(6, 17, 1),
        department: 'Support',
        agent: expect.toSatisfy((a: unknown) => a === null || typeof a === 'string'),
      },
      expect.objectContaining({ clock: 'resolution', dueAt: at(8, 9), at: at(8, 9, 1) }),
    ]);
  });

  it('puts a breach in the period of its due time', async () => {
    const r = (await get('from=2025-01-06&to=2025-01-06')).as(SlaReportOut);
    expect(r.firstResponse).toEqual({ met: 1, breached: 1, pct: 50 });
    expect(r.resolution).toEqual({ met: 1, breached: 0, pct: 100 });
    expect((await get('from=2025-01-09&to=2025-01-09')).as(SlaReportOut).firstResponse.pct).toBeNull();
  });

  it('downloads the breaches as CSV', async () => {
    const res = await get('from=2025-01-06&to=2025-01-06&format=csv');
    const [head, row, end] = res.body.split('\r\n');
    expect(head).toBe('number,subject,clock,dueAt,at,department,agent');
    expect(row).toMatch(
      new RegExp(`^${late},Late,first_response,2025-01-06T17:00:00.000Z,2025-01-06T17:01:00.000Z,Support,`),
    );
    expect(end).toBe('');
  });
});
