import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app.ts';
import { Readiness } from '../../src/http/readiness.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createApiKey } from '../../src/modules/auth/apikeys.service.ts';
import { seedDemo } from '../../src/seed/demo.ts';
import { describeEachDialect } from '../support/db.ts';
import { T0 } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';
import { testLog } from '../support/log.ts';
import { TicketDetailOut, TicketOut } from '../../src/contract/tickets.contract.ts';

// The first hour on a fresh desk (issue 17, items 1–3), through HTTP on both databases.

const CRLF = '\r\n';
const outage = (over: Record<string, unknown> = {}) => ({
  subject: 'Mobile online banking is down',
  body: 'Customers cannot log in to mobile banking since 9:00.',
  requester: { email: 'karen@example.com' },
  source: 'web',
  ...over,
});

/** Karen's automatic answers in the mail log, as [ticket source, status] in sorted order (jobs run concurrently). */
const karensAcks = (api: Harness) =>
  api.desk.db
    .selectFrom('mail_log')
    .innerJoin('tickets', 'tickets.id', 'mail_log.ticket_id')
    .select(['tickets.source', 'mail_log.status'])
    .where('mail_log.to_address', '=', 'karen@example.com')
    .where('mail_log.kind', '=', 'auto')
    .execute()
    .then((rows) => rows.map((r) => `${r.source} ${r.status}`).sort());

describeEachDialect('a desk that is starting, or has no department', (handle) => {
  it('answers 503 while it starts (health checks excepted), and 503 not_configured without a department', async () => {
    const deps = { db: handle().db, clock: new ManualClock(T0), log: testLog };
    const readiness = new Readiness();
    readiness.begin('seeding the demo desk');
    const app = await buildHttpApp(deps, { publicUrl: 'http://desk.test' }, readiness);
    const { key } = await createApiKey(deps, { name: 'intake' });
    const post = (url: string, payload: object) =>
      app.inject({ method: 'POST', url, payload, headers: { 'x-api-key': key } });
    const ticket = { subject: 'Printer on fire', body: 'Smoke', requester: { email: 'pat@example.com' } };
    const compat = { name: 'Pat', email: 'pat@example.com', subject: 'Down', message: 'Mail is down' };
    try {
      expect((await app.inject('/healthz')).statusCode).toBe(200);
      const ready = await app.inject('/readyz');
      expect([ready.statusCode, ready.json()]).toEqual([
        503,
        { status: 'starting', starting: 'seeding the demo desk' },
      ]);
      const held = await post('/api/v1/tickets', { ...ticket, department: 'Support' });
      expect([held.statusCode, held.json().error.code, held.headers['retry-after']]).toEqual([
        503,
        'not_ready',
        '2',
      ]);
      const heldCompat = await post('/api/tickets.json', compat);
      expect([heldCompat.statusCode, heldCompat.body]).toEqual([503, expect.stringContaining('starting')]);

      // Started, but nobody created a department: the operator's problem, said plainly, never a 500.
      readiness.done();
      expect((await app.inject('/readyz')).statusCode).toBe(200);
      const v1 = await post('/api/v1/tickets', ticket);
      expect([v1.statusCode, v1.json().error.code]).toEqual([503, 'not_configured']);
      expect(v1.json().error.message).toMatch(/No department is set up/);
      const osTicket = await post('/api/tickets.json', compat);
      expect([osTicket.statusCode, osTicket.body]).toEqual([
        503,
        expect.stringMatching(/No department is set up/),
      ]);
      // A department the client names and the desk lacks stays the client's 404.
      const named = await post('/api/v1/tickets', { ...ticket, department: 'Support' });
      expect([named.statusCode, named.json().error.code]).toEqual([404, 'department_not_found']);
    } finally {
      await app.close();
    }
  });
});

describeEachDialect('the demo desk sends no mail', (handle) => {
  let api: Harness;
  beforeAll(async () => {
    await seedDemo(handle().db, T0, testLog);
    api = await startHarness(handle().db, { seed: false });
  }, 60_000);
  afterAll(() => api.close());

  it('seeding queues no mail, and Karen’s first portal ticket is acknowledged', async () => {
    await api.runJobs();
    expect(await api.desk.db.selectFrom('mail_log').select('id').execute()).toEqual([]);
    const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    const res = await karen.post('/api/v1/tickets', outage({ helpTopic: 'Business Critical Outage' }));
    expect(res.status).toBe(201);
    await api.runJobs();
    expect(await karensAcks(api)).toEqual(['web logged']);
  });
});

describeEachDialect('loop safety holds back only answers to email', (handle) => {
  let api: Harness;
  let karen: Client;
  let key: string;
  const mail = (n: number) =>
    Buffer.from(
      ['From: Karen Smith <karen@example.com>', `Subject: Outage ${n}`, '', 'Down again.', ''].join(CRLF),
    );

  beforeAll(async () => {
    api = await startHarness(handle().db);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    key = (await api.withKey({ name: 'mail gateway' })).key;
  });
  afterAll(() => api.close());

  it('portal and API tickets are always acknowledged and do not count; the 6th emailed one in an hour waits', async () => {
    for (let i = 0; i < 6; i++) expect((await karen.post('/api/v1/tickets', outage())).status).toBe(201);
    await api.runJobs();
    for (let i = 1; i <= 6; i++) {
      const res = await api.postRaw('/api/tickets.email', mail(i), 'message/rfc822', { 'x-api-key': key });
      expect(res.status).toBe(201);
    }
    const agent = await api.withKey({ name: 'phone desk' });
    expect((await agent.post('/api/v1/tickets', outage({ source: 'phone' }))).status).toBe(201);
    expect((await karen.post('/api/v1/tickets', outage())).status).toBe(201);
    await api.runJobs();
    expect(await karensAcks(api)).toEqual([
      ...Array<string>(5).fill('email logged'),
      'email skipped',
      'phone logged',
      ...Array<string>(7).fill('web logged'),
    ]);
  });
});

describeEachDialect('closing a resolved ticket', (handle) => {
  let api: Harness;
  let jane: Client;
  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
  });
  afterAll(() => api.close());

  it('needs no reason; closing unresolved work still does', async () => {
    const open = async () => (await jane.post('/api/v1/tickets', outage())).as(TicketOut).number;
    const unresolved = await open();
    const refused = await jane.post(`/api/v1/tickets/${unresolved}/close`, {});
    expect([refused.status, refused.error().code]).toEqual([422, 'reason_required']);

    const done = await open();
    expect((await jane.post(`/api/v1/tickets/${done}/resolve`, {})).as(TicketOut).state).toBe('resolved');
    const closed = await jane.post(`/api/v1/tickets/${done}/close`, {});
    expect([closed.status, closed.as(TicketOut).state]).toEqual([200, 'closed']);
    const thread = (await jane.get(`/api/v1/tickets/${done}/thread`)).as(TicketDetailOut.shape.thread);
    expect(thread.find((e) => e.type === 'closed')?.body).toBe('Closed');

    // The status select too: Closed on a resolved ticket.
    const viaStatus = await open();
    await jane.post(`/api/v1/tickets/${viaStatus}/resolve`, {});
    const status = await jane.post(`/api/v1/tickets/${viaStatus}/status`, { status: 'Closed' });
    expect([status.status, status.as(TicketOut).state]).toEqual([200, 'closed']);
  });
});
