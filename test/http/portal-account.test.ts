import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Harness } from '../support/http.ts';

// What the customer portal needs beyond tickets: the link mailed for a ticket
// opens that ticket, /me tells a customer about their organization, and the
// ticket list splits into "mine" and "my organization's" (only when shared).

describeEachDialect('portal account API', (handle) => {
  let api: Harness;
  beforeAll(async () => {
    api = await startHarness(handle().db);
  });
  afterAll(() => api.close());

  const linkFor = async (email: string) => {
    await api.runJobs();
    const mail = await api.desk.db
      .selectFrom('mail_log')
      .select('body')
      .where('to_address', '=', email)
      .where('subject', '=', 'Your sign-in link')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return /\/access\/([\w-]+)/.exec(mail.body)![1]!;
  };

  it('a link mailed for a ticket names the ticket when redeemed; a plain link names none', async () => {
    const opened = await api.anonymous.post('/api/v1/tickets', {
      subject: 'Where is my parcel?',
      body: 'Ordered last week.',
      requester: { email: 'parcel@example.net', name: 'Pat Parcel' },
    });
    expect(opened.status).toBe(201);
    const redeemed = await api.anonymous.post('/api/v1/portal/access-links/redeem', {
      token: await linkFor('parcel@example.net'),
    });
    expect(redeemed.status).toBe(200);
    expect(redeemed.json).toMatchObject({
      ticket: opened.json.number,
      user: { email: 'parcel@example.net' },
    });

    await api.anonymous.post('/api/v1/portal/access-links', { email: 'parcel@example.net' });
    const plain = await api.anonymous.post('/api/v1/portal/access-links/redeem', {
      token: await linkFor('parcel@example.net'),
    });
    expect([plain.status, plain.json.ticket]).toEqual([200, null]);
  });

  it("/me shows a customer's organization and whether its tickets are shared", async () => {
    const admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    // Sara is in Karen's organization (Example Corp, by the example.com domain).
    const sara = await jane.post('/api/v1/tickets', {
      subject: 'Projector in room 4',
      body: 'No signal.',
      requester: { email: 'sara@example.com', name: 'Sara Jones' },
    });
    expect(sara.status).toBe(201);
    const mine = await karen.post('/api/v1/tickets', {
      subject: 'My laptop',
      body: 'Fan noise.',
      requester: { email: 'karen@example.com' },
    });
    expect(mine.status).toBe(201);

    const me = await karen.get('/api/v1/me');
    expect(me.json.organization).toMatchObject({ name: 'Example Corp', sharesTickets: false });
    const closed = await karen.get('/api/v1/tickets?scope=organization');
    expect([closed.status, closed.error().code]).toEqual([403, 'forbidden']);

    const org = me.json.organization.id as number;
    expect((await admin.patch(`/api/v1/organizations/${org}`, { sharesTickets: true })).status).toBe(200);
    expect((await karen.get('/api/v1/me')).json.organization.sharesTickets).toBe(true);

    const numbers = async (scope: string) =>
      ((await karen.get(`/api/v1/tickets?scope=${scope}`)).json.items as { number: string }[]).map(
        (t) => t.number,
      );
    const ours = await numbers('organization');
    expect(ours).toContain(sara.json.number);
    expect(ours).toContain(mine.json.number);
    const own = await numbers('mine');
    expect(own).toContain(mine.json.number);
    expect(own).not.toContain(sara.json.number);
  });

  it('a customer without an organization has none; scope is not a staff filter', async () => {
    const solo = await api.signUp('solo@example.org', 'Solo Person', 'solo-person-pass');
    expect((await solo.get('/api/v1/me')).json.organization).toBeNull();
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const staff = await jane.get('/api/v1/tickets?scope=mine');
    expect([staff.status, staff.error().code]).toEqual([422, 'filter_not_allowed']);
    expect((await jane.get('/api/v1/me')).json.organization).toBeUndefined();
  });
});
