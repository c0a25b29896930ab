import { afterAll, beforeAll, expect, it } from 'vitest';
import { CurrentUser, RedeemedOut } from '../../src/contract/auth.contract.ts';
import { TicketOut, TicketPageOut } from '../../src/contract/tickets.contract.ts';
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
    expect(redeemed.as(RedeemedOut)).toMatchObject({
      ticket: opened.as(TicketOut).number,
      user: { email: 'parcel@example.net' },
    });

    await api.anonymous.post('/api/v1/portal/access-links', { email: 'parcel@example.net' });
    const plain = await api.anonymous.post('/api/v1/portal/access-links/redeem', {
      token: await linkFor('parcel@example.net'),
    });
    expect([plain.status, plain.as(RedeemedOut).ticket]).toEqual([200, null]);
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

    const me = (await karen.get('/api/v1/me')).as(CurrentUser);
    expect(me.organization).toMatchObject({ name: 'Example Corp', sharesTickets: false });
    const closed = await karen.get('/api/v1/tickets?scope=organization');
    expect([closed.status, closed.error().code]).toEqual([403, 'forbidden']);

    const org = me.organization!.id;
    expect((await admin.patch(`/api/v1/organizations/${org}`, { sharesTickets: true })).status).toBe(200);
    expect((await karen.get('/api/v1/me')).as(CurrentUser).organization?.sharesTickets).toBe(true);

    const numbers = async (scope: string) =>
      (await karen.get(`/api/v1/tickets?scope=${scope}`)).as(TicketPageOut).items.map((t) => t.number);
    const ours = await numbers('organization');
    expect(ours).toContain(sara.as(TicketOut).number);
    expect(ours).toContain(mine.as(TicketOut).number);
    const own = await numbers('mine');
    expect(own).toContain(mine.as(TicketOut).number);
    expect(own).not.toContain(sara.as(TicketOut).number);
  });

  it('a customer without an organization has none; scope is not a staff filter', async () => {
    const solo = await api.signUp('solo@example.org', 'Solo Person', 'solo-person-pass');
    expect((await solo.get('/api/v1/me')).as(CurrentUser).organization).toBeNull();
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const staff = await jane.get('/api/v1/tickets?scope=mine');
    expect([staff.status, staff.error().code]).toEqual([422, 'filter_not_allowed']);
    expect((await jane.get('/api/v1/me')).as(CurrentUser).organization).toBeUndefined();
  });
});
