import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY } from '../../src/lib/clock.ts';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Harness } from '../support/http.ts';
import { CurrentUser } from '../../src/contract/auth.contract.ts';
import { CustomerOut } from '../../src/contract/directory.contract.ts';
import { TicketOut, TicketPageOut } from '../../src/contract/tickets.contract.ts';

// Issue 17, item 4: a portal account proves its address before it works, so
// nobody takes over another person's tickets by signing up first; and a
// customer's address changes only when the new address confirms.

describeEachDialect('accounts prove their address', (handle) => {
  let api: Harness;
  beforeAll(async () => {
    api = await startHarness(handle().db);
  });
  afterAll(() => api.close());

  const signup = (email: string, password: string, name = 'Someone') =>
    api.anonymous.post('/api/v1/portal/signup', { email, name, password });
  const portalSignIn = (email: string, password: string) =>
    api.anonymous.post('/api/v1/portal/session', { email, password });
  const confirm = (token: string, password?: string, headers?: Record<string, string>) =>
    api.anonymous.post('/api/v1/portal/confirm', { token, ...(password ? { password } : {}) }, headers);
  const mailsTo = async (email: string) => {
    await api.runJobs();
    return api.desk.db
      .selectFrom('mail_log')
      .select(['subject', 'body'])
      .where('to_address', '=', email)
      .orderBy('id')
      .execute();
  };
  const customerRow = (email: string) =>
    api.desk.db.selectFrom('customers').selectAll().where('email', '=', email).executeTakeFirst();
  const anonymousTicket = async (email: string, subject: string) => {
    const res = await api.anonymous.post('/api/v1/tickets', {
      subject,
      body: 'Details inside.',
      requester: { email, name: 'The Owner' },
    });
    expect(res.status).toBe(201);
    return res.as(TicketOut).number;
  };

  it('a sign-up cannot sign in until its mailed link is redeemed, once, with the password chosen', async () => {
    const asked = await signup('newcomer@example.org', 'newcomer-password');
    expect([asked.status, asked.json]).toEqual([202, { status: 'confirmation_sent' }]);
    expect(asked.headers['set-cookie']).toBeUndefined();
    const early = await portalSignIn('newcomer@example.org', 'newcomer-password');
    expect([early.status, early.error().code]).toEqual([401, 'invalid_credentials']);
    expect(await customerRow('newcomer@example.org')).toBeUndefined();

    const mails = await mailsTo('newcomer@example.org');
    expect(mails.map((m) => m.subject)).toEqual(['Confirm your email address']);
    expect(mails[0]!.body).not.toContain('Someone'); // nothing a stranger typed reaches the mailbox
    const token = await api.mailedToken('newcomer@example.org', 'confirm');
    const stored = await api.desk.db.selectFrom('access_links').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    for (const password of [undefined, 'not-the-password']) {
      const refused = await confirm(token, password);
      expect([refused.status, refused.error().code]).toEqual([401, 'invalid_credentials']);
    }
    const done = await confirm(token, 'newcomer-password');
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({
      purpose: 'signup',
      user: { kind: 'customer', email: 'newcomer@example.org' },
    });
    expect(String(done.headers['set-cookie'])).toMatch(/deskline_session=/);
    const again = await confirm(token, 'newcomer-password');
    expect([again.status, again.error().code]).toEqual([401, 'confirmation_invalid']);
    expect((await portalSignIn('newcomer@example.org', 'newcomer-password')).status).toBe(200);

    // A link works within 24 hours only.
    await signup('late@example.org', 'late-comer-password');
    const late = await api.mailedToken('late@example.org', 'confirm');
    api.desk.clock.advance(DAY + 1);
    const expired = await confirm(late, 'late-comer-password');
    expect([expired.status, expired.error().code]).toEqual([401, 'confirmation_invalid']);
  });

  it('an address with an account or earlier tickets gets the same answer, and a stranger claims nothing', async () => {
    const fresh = await signup('nobody-yet@example.org', 'attacker-password');
    const account = await signup('karen@example.com', 'attacker-password');
    const number = await anonymousTicket('victim@company.example', 'Salary question');
    await api.runJobs();
    const history = await signup('victim@company.example', 'attacker-password');
    for (const res of [account, history]) {
      expect([res.status, res.json, res.headers['set-cookie']]).toEqual([
        fresh.status,
        fresh.json,
        undefined,
      ]);
    }
    // None of them signs the stranger in; Karen's own password still works.
    for (const email of ['karen@example.com', 'victim@company.example']) {
      const res = await portalSignIn(email, 'attacker-password');
      expect([res.status, res.error().code]).toEqual([401, 'invalid_credentials']);
    }
    await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    // Karen hears that she already has an account, with a way in; no confirmation link.
    const karens = await mailsTo('karen@example.com');
    expect(karens.at(-1)!.subject).toBe('You already have an account');
    expect(karens.at(-1)!.body).toContain('/access/');
    expect(karens.some((m) => m.body.includes('/confirm/'))).toBe(false);

    // The owner, lured into opening the stranger's link, cannot finish it without the stranger's password.
    const lure = await api.mailedToken('victim@company.example', 'confirm');
    expect((await confirm(lure, 'owner-guesses-this')).status).toBe(401);
    expect((await customerRow('victim@company.example'))!.password_hash).toBeNull();
    // The owner's own sign-up, confirmed, reaches the earlier ticket.
    const owner = await api.signUp('victim@company.example', 'The Owner', 'owner-password-1');
    const list = await owner.get('/api/v1/tickets?scope=mine');
    expect(list.as(TicketPageOut).items.map((t) => t.number)).toContain(number);
    // The owner's confirmation ends every other pending sign-up of the address.
    const dead = await confirm(lure, 'attacker-password');
    expect([dead.status, dead.error().code]).toEqual([401, 'confirmation_invalid']);
  });

  it('staff addresses never become customer accounts; the staff member is told', async () => {
    const before = await api.desk.db.selectFrom('customers').select('id').execute();
    for (const email of ['jane@deskline.local', ' JANE@Deskline.Local ', 'support@deskline.local']) {
      const res = await signup(email, 'jane-as-customer');
      expect([res.status, res.json]).toEqual([202, { status: 'confirmation_sent' }]);
    }
    // (Jane also gets the desk's alerts; only account mail is counted here.)
    const janes = (await mailsTo('jane@deskline.local')).filter((m) => !m.subject.startsWith('New ticket'));
    expect(janes.map((m) => m.subject)).toEqual([
      'This address cannot have a customer account',
      'This address cannot have a customer account',
    ]);
    expect(janes.some((m) => /\/(confirm|access)\//.test(m.body))).toBe(false);
    expect(await mailsTo('support@deskline.local')).toEqual([]);
    expect(await api.desk.db.selectFrom('customers').select('id').execute()).toEqual(before);
    const res = await portalSignIn('jane@deskline.local', 'jane-as-customer');
    expect(res.status).toBe(401);
  });

  it('account mail to one address is capped per hour', async () => {
    for (let i = 0; i < 8; i++)
      expect((await signup('flooded@example.org', 'flood-password-1')).status).toBe(202);
    expect(await mailsTo('flooded@example.org')).toHaveLength(5);
  });

  it("a customer's new address works only once it confirms, signed in to the same account", async () => {
    const mover = await api.signUp('mover@example.org', 'Mo Ver', 'mover-password-1');
    const other = await api.signUp('bystander@example.org', 'By Stander', 'bystander-password');
    const asked = await mover.post('/api/v1/me/email', { email: 'Moved@Example.net' });
    expect([asked.status, asked.json]).toEqual([202, { status: 'confirmation_sent' }]);
    expect((await mover.get('/api/v1/me')).as(CurrentUser).email).toBe('mover@example.org');
    expect((await portalSignIn('moved@example.net', 'mover-password-1')).status).toBe(401);

    const token = await api.mailedToken('moved@example.net', 'confirm-email');
    for (const headers of [undefined, { cookie: other.cookie, 'x-csrf-token': other.csrf }]) {
      const refused = await confirm(token, undefined, headers);
      expect([refused.status, refused.error().code]).toEqual([401, 'sign_in_required']);
    }
    const done = await mover.post('/api/v1/portal/confirm', { token });
    expect(done.json).toMatchObject({ purpose: 'email_change', user: { email: 'moved@example.net' } });
    expect((await mover.get('/api/v1/me')).status).toBe(401); // every earlier session ends
    expect((await portalSignIn('moved@example.net', 'mover-password-1')).status).toBe(200);
    expect((await portalSignIn('mover@example.org', 'mover-password-1')).status).toBe(401);

    // An address that has its own account: nothing changes, and that address hears of it.
    const taken = await other.post('/api/v1/me/email', { email: 'karen@example.com' });
    expect(taken.status).toBe(202);
    expect((await mailsTo('karen@example.com')).at(-1)!.subject).toBe('This address already has an account');
    expect((await other.get('/api/v1/me')).as(CurrentUser).email).toBe('bystander@example.org');
  });

  it('staff who manage customers correct an address; it takes effect on confirmation and the old password ends', async () => {
    const admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    // Whoever owns the mistyped address made an account with it.
    const typo = await api.signUp('karen.m@exmaple.com', 'Typo Holder', 'typo-holder-pass');
    await jane.post('/api/v1/tickets', {
      subject: 'Phone call',
      body: 'Noted by phone.',
      requester: { email: 'karen.m@exmaple.com' },
    });
    const id = (await customerRow('karen.m@exmaple.com'))!.id;

    const byJane = await jane.post(`/api/v1/customers/${id}/email`, { email: 'karen.m@example.com' });
    expect([byJane.status, byJane.error().code]).toEqual([403, 'forbidden']);
    const staff = await admin.post(`/api/v1/customers/${id}/email`, { email: 'jane@deskline.local' });
    expect([staff.status, staff.error().code]).toEqual([422, 'address_not_allowed']);
    const clash = await admin.post(`/api/v1/customers/${id}/email`, { email: 'karen@example.com' });
    expect([clash.status, clash.error().code]).toEqual([409, 'customer_exists']);

    const asked = await admin.post(`/api/v1/customers/${id}/email`, { email: 'karen.m@example.com' });
    expect(asked.status).toBe(202);
    expect((await admin.get(`/api/v1/customers/${id}`)).as(CustomerOut).email).toBe('karen.m@exmaple.com');
    const token = await api.mailedToken('karen.m@example.com', 'confirm-email');
    const done = await confirm(token);
    expect(done.json).toMatchObject({ purpose: 'email_change', user: { id, email: 'karen.m@example.com' } });
    expect((await admin.get(`/api/v1/customers/${id}`)).json).toMatchObject({
      email: 'karen.m@example.com',
      hasAccount: false,
    });
    expect((await typo.get('/api/v1/me')).status).toBe(401);
    for (const email of ['karen.m@exmaple.com', 'karen.m@example.com'])
      expect((await portalSignIn(email, 'typo-holder-pass')).status).toBe(401);
  });
});
