import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRow } from '../../src/modules/directory/directory.admin.service.ts';
import { departments } from '../../src/modules/directory/directory.admin-tables.ts';
import { slaPlans } from '../../src/modules/sla/sla.admin-tables.ts';
import { postCustomerMessage, postReply } from '../../src/modules/threads/threads.service.ts';
import { close, reopen, resolve } from '../../src/modules/tickets/tickets.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { newTicket } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';
import { SpeedOut } from '../../src/contract/reports.contract.ts';

// The speed report against durations worked out by hand: a ticket in an
// office-hours plan (Mon–Fri 09:00–17:00 London) that is resolved, reopened
// and resolved again, and a 24×7 ticket closed straight from open.

const MIN = 60_000;
const HOUR = 60 * MIN;
/** London is on UTC in January: these are local times. 10 January 2025 is a Friday. */
const at = (day: number, h: number, m = 0) => Date.UTC(2025, 0, day, h, m);

describeEachDialect('speed report', (handle) => {
  let api: Harness;
  let admin: Session;

  beforeAll(async () => {
    api = await startHarness(handle().db, { now: at(10, 15) });
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    const { deps, clock, admin: boss, karen } = api.desk;
    const plan = await createRow(deps, slaPlans, {
      name: 'Office hours',
      targets: { '2': { firstResponse: 120, resolution: 960 } },
      calendar: {
        timezone: 'Europe/London',
        hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])),
      },
    });
    await createRow(deps, departments, { name: 'Office', slaPlan: plan.id, manager: 'jerry@deskline.local' });

    clock.set(at(10, 16));
    const office = await newTicket(deps, { subject: 'Office', department: 'Office' });
    clock.set(at(10, 16, 30));
    await postReply(deps, boss, office.number, { body: 'Looking at it' });
    await postReply(deps, boss, office.number, { body: 'A second reply measures nothing' });
    clock.set(at(13, 8));
    await postCustomerMessage(deps, karen, office.number, { body: 'Still broken' });
    clock.set(at(13, 8, 30));
    await postCustomerMessage(deps, karen, office.number, { body: 'Hello?' });
    clock.set(at(13, 10));
    await postReply(deps, boss, office.number, { body: 'Fixed now' });
    clock.set(at(13, 11));
    await resolve(deps, boss, office.number);
    clock.set(at(13, 12));
    await reopen(deps, boss, office.number, { reason: 'came back' });
    clock.set(at(14, 10));
    await resolve(deps, boss, office.number);

    clock.set(at(13, 9));
    const quick = await newTicket(deps, { subject: 'Quick' });
    clock.set(at(13, 9, 20));
    await postReply(deps, boss, quick.number, { body: 'Done' });
    clock.set(at(13, 10));
    await close(deps, boss, quick.number, { reason: 'done' });
    await api.runJobs(); // the reports.refresh jobs of these changes
  });
  afterAll(async () => api?.close());

  const summary = (meanMs: number | null, medianMs: number | null, p90Ms: number | null) => ({
    meanMs,
    medianMs,
    p90Ms,
  });

  it('measures each duration in calendar and business time', async () => {
    const res = await admin.get('/api/v1/reports/speed?from=2025-01-10&to=2025-01-14');
    expect(res.status, res.body).toBe(200);
    const r = res.as(SpeedOut);
    // 30 min and 20 min: nearest-rank median of two is the smaller, p90 the larger.
    expect(r.firstResponse).toEqual({
      count: 2,
      calendar: summary(25 * MIN, 20 * MIN, 30 * MIN),
      business: summary(25 * MIN, 20 * MIN, 30 * MIN),
    });
    // From the first unanswered message (08:00) to the reply at 10:00; business hours start at 09:00.
    expect(r.nextResponse).toEqual({
      count: 1,
      calendar: summary(2 * HOUR, 2 * HOUR, 2 * HOUR),
      business: summary(HOUR, HOUR, HOUR),
    });
    // Office: Fri 16:00 → Mon 11:00 is 67 h, of which 1 h Friday + 2 h Monday in office hours.
    expect(r.firstResolution).toEqual({
      count: 2,
      calendar: summary(34 * HOUR, HOUR, 67 * HOUR),
      business: summary(2 * HOUR, HOUR, 3 * HOUR),
    });
    // Its final resolution, Tue 10:00: 90 h, in office hours 1 + 8 + 1 = 10 h.
    expect(r.resolution).toEqual({
      count: 2,
      calendar: summary(45.5 * HOUR, HOUR, 90 * HOUR),
      business: summary(5.5 * HOUR, HOUR, 10 * HOUR),
    });
    expect(r.series).toEqual([
      { period: '2025-01-10', firstResponseMedianMs: 30 * MIN, resolutionMedianMs: null },
      { period: '2025-01-11', firstResponseMedianMs: null, resolutionMedianMs: null },
      { period: '2025-01-12', firstResponseMedianMs: null, resolutionMedianMs: null },
      { period: '2025-01-13', firstResponseMedianMs: 20 * MIN, resolutionMedianMs: HOUR },
      { period: '2025-01-14', firstResponseMedianMs: null, resolutionMedianMs: 90 * HOUR },
    ]);
  });

  it('counts a measurement in the period it ends in', async () => {
    const r = (await admin.get('/api/v1/reports/speed?from=2025-01-14&to=2025-01-14')).as(SpeedOut);
    expect([r.firstResponse.count, r.resolution.count, r.firstResolution.count]).toEqual([0, 1, 0]);
  });

  it('downloads one CSV row per measure', async () => {
    const res = await admin.get('/api/v1/reports/speed?from=2025-01-13&to=2025-01-13&format=csv');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.body.split('\r\n')).toEqual([
      'measure,count,meanMs,medianMs,p90Ms,businessMeanMs,businessMedianMs,businessP90Ms',
      `firstResponse,1,${20 * MIN},${20 * MIN},${20 * MIN},${20 * MIN},${20 * MIN},${20 * MIN}`,
      `nextResponse,1,${2 * HOUR},${2 * HOUR},${2 * HOUR},${HOUR},${HOUR},${HOUR}`,
      `resolution,1,${HOUR},${HOUR},${HOUR},${HOUR},${HOUR},${HOUR}`,
      `firstResolution,2,${34 * HOUR},${HOUR},${67 * HOUR},${2 * HOUR},${HOUR},${3 * HOUR}`,
      '',
    ]);
  });
});
