import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY } from '../../src/lib/clock.ts';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Harness } from '../support/http.ts';
import { CurrentUser } from '../../src/contract/auth.contract.ts';

describeEachDialect('authentication', (handle) => {
  let api: Harness;
  beforeAll(async () => {
    api = await startHarness(handle().db);
  });
  afterAll(() => api.close());

  const signIn = (email: string, password: string, url = '/api/v1/session') =>
    api.app.inject({ method: 'POST', url, payload: { email, password } });

  it('staff sign-in sets an httpOnly SameSite=Lax cookie; failures all look the same', async () => {
    const ok = await signIn('jane@deskline.local', PASSWORDS.agent);
    expect(ok.statusCode).toBe(200);
    const cookie = String(ok.headers['set-cookie']);
    expect(cookie).toMatch(/deskline_session=[\w-]{40,}/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    const stored = await api.desk.db.selectFrom('sessions').select('id_hash').execute();
    const token = /deskline_session=([\w-]+)/.exec(cookie)![1]!;
    expect(stored.map((s) => s.id_hash)).not.toContain(token);

    const wrong = await signIn('jane@deskline.local', 'not-her-password');
    const unknown = await signIn('nobody@deskline.local', 'whatever-password');
    const customerAsStaff = await signIn('karen@example.com', PASSWORDS.customer);
    for (const r of [wrong, unknown, customerAsStaff]) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual(wrong.json());
    }
    expect(wrong.json().error.code).toBe('invalid_credentials');
  });

  it('the session answers /me and its CSRF token; sign-out ends it', async () => {
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const session = await jane.get('/api/v1/session');
    expect(session.json).toMatchObject({
      csrfToken: jane.csrf,
      user: { email: 'jane@deskline.local', role: 'agent' },
    });
    expect((await jane.del('/api/v1/session')).status).toBe(204);
    const after = await jane.get('/api/v1/me');
    expect([after.status, after.error().code]).toEqual([401, 'unauthenticated']);
  });

  it('a password change needs the current password and ends the other sessions only', async () => {
    const here = await api.login('jerry@deskline.local', PASSWORDS.agent);
    const elsewhere = await api.login('jerry@deskline.local', PASSWORDS.agent);
    const bad = await here.post('/api/v1/me/password', {
      currentPassword: 'wrong',
      newPassword: 'a-much-longer-secret',
    });
    expect([bad.status, bad.error().code]).toEqual([401, 'invalid_credentials']);
    const short = await here.post('/api/v1/me/password', {
      currentPassword: PASSWORDS.agent,
      newPassword: 'short',
    });
    expect(short.status).toBe(422);
    expect(
      (
        await here.post('/api/v1/me/password', {
          currentPassword: PASSWORDS.agent,
          newPassword: 'a-much-longer-secret',
        })
      ).status,
    ).toBe(204);
    expect((await here.get('/api/v1/me')).status).toBe(200);
    expect((await elsewhere.get('/api/v1/me')).status).toBe(401);
    expect((await signIn('jerry@deskline.local', PASSWORDS.agent)).statusCode).toBe(401);
    expect((await signIn('jerry@deskline.local', 'a-much-longer-secret')).statusCode).toBe(200);
  });

  it('customers sign in, sign up, and use one-time links', async () => {
    const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    expect((await karen.get('/api/v1/me')).json).toMatchObject({
      kind: 'customer',
      email: 'karen@example.com',
    });
    // Sign-up works once the mailed link is redeemed (the rules: test/http/accounts.test.ts).
    const up = await api.signUp('new@example.com', 'New Person', 'new-person-pass');
    expect((await up.get('/api/v1/me')).json).toMatchObject({ kind: 'customer', email: 'new@example.com' });

    // A customer known only from a ticket gets a link, signs in with it once, then sets a first password.
    await api.anonymous.post('/api/v1/tickets', {
      subject: 'Hi',
      body: 'x',
      requester: { email: 'linky@example.com' },
    });
    await api.runJobs();
    await api.desk.db.deleteFrom('mail_log').execute();
    expect(
      (await api.anonymous.post('/api/v1/portal/access-links', { email: 'linky@example.com' })).status,
    ).toBe(202);
    expect(
      (await api.anonymous.post('/api/v1/portal/access-links', { email: 'ghost@example.com' })).status,
    ).toBe(202);
    await api.runJobs();
    const mails = await api.desk.db.selectFrom('mail_log').select(['to_address', 'body']).execute();
    expect(mails.map((m) => m.to_address)).toEqual(['linky@example.com']);
    const token = /\/access\/([\w-]+)/.exec(mails[0]!.body)![1]!;
    const redeem = await api.app.inject({
      method: 'POST',
      url: '/api/v1/portal/access-links/redeem',
      payload: { token },
    });
    expect(redeem.statusCode).toBe(200);
    const reuse = await api.anonymous.post('/api/v1/portal/access-links/redeem', { token });
    expect([reuse.status, reuse.error().code]).toEqual([401, 'access_link_invalid']);
    const cookie = redeem.cookies.find((c) => c.name === 'deskline_session')!.value;
    const headers = { cookie: `deskline_session=${cookie}`, 'x-csrf-token': redeem.json().csrfToken };
    const first = await api.anonymous.post(
      '/api/v1/me/password',
      { newPassword: 'linky-first-password' },
      headers,
    );
    expect(first.status).toBe(204);
    expect(
      (await signIn('linky@example.com', 'linky-first-password', '/api/v1/portal/session')).statusCode,
    ).toBe(200);
  });

  it('an access link expires after a day', async () => {
    await api.anonymous.post('/api/v1/portal/access-links', { email: 'karen@example.com' });
    await api.runJobs();
    const mail = await api.desk.db
      .selectFrom('mail_log')
      .select('body')
      .where('to_address', '=', 'karen@example.com')
      .where('subject', '=', 'Your sign-in link')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const token = /\/access\/([\w-]+)/.exec(mail.body)![1]!;
    api.desk.clock.advance(DAY + 1);
    const late = await api.anonymous.post('/api/v1/portal/access-links/redeem', { token });
    expect([late.status, late.error().code]).toEqual([401, 'access_link_invalid']);
  });

  it('API keys: Bearer or X-API-Key, stored hashed; malformed or unknown keys are refused', async () => {
    const { key } = await api.withKey({ name: 'jane script', agent: 'jane@deskline.local' });
    const bearer = await api.anonymous.get('/api/v1/me', { authorization: `Bearer ${key}` });
    const header = await api.anonymous.get('/api/v1/me', { 'x-api-key': key.toLowerCase() });
    expect([bearer.as(CurrentUser).email, header.as(CurrentUser).email]).toEqual([
      'jane@deskline.local',
      'jane@deskline.local',
    ]);
    const system = await api.withKey({ name: 'system' });
    expect((await system.get('/api/v1/me')).json).toMatchObject({ kind: 'system', role: 'system' });
    const rows = await api.desk.db.selectFrom('api_keys').select('key_hash').execute();
    expect(rows.map((r) => r.key_hash)).not.toContain(key);
    const malformed = await api.anonymous.get('/api/v1/me', { authorization: 'Basic abc' });
    const unknown = await api.anonymous.get('/api/v1/me', { authorization: `Bearer ${'0'.repeat(32)}` });
    expect([malformed.status, unknown.status, unknown.error().code]).toEqual([401, 401, 'api_key_invalid']);
  });

  it('rate limits sign-in per account and per address, with Retry-After, and the window reopens', async () => {
    await api.withRateLimits({ loginPerAccount: 3, loginPerIp: 6, intakePerIp: 2 }, async () => {
      for (let i = 0; i < 3; i++)
        expect((await signIn('admin@deskline.local', 'wrong')).statusCode).toBe(401);
      const limited = await signIn('admin@deskline.local', PASSWORDS.admin);
      expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'rate_limited']);
      // The account's window is a minute, and the harness's clock stands still.
      expect(limited.headers['retry-after']).toBe('60');
      // The address has used 4 of its 6: two more accounts' attempts, then it is the address that is limited.
      expect((await signIn('a@x.example', 'p')).statusCode).toBe(401);
      expect((await signIn('b@x.example', 'p')).statusCode).toBe(401);
      expect((await signIn('c@x.example', 'p')).statusCode).toBe(429);
      const intake = [];
      for (let i = 0; i < 3; i++)
        intake.push(
          (await api.anonymous.post('/api/v1/portal/access-links', { email: 'karen@example.com' })).status,
        );
      expect(intake).toEqual([202, 202, 429]);
      api.desk.clock.advance(61_000);
      expect((await signIn('admin@deskline.local', PASSWORDS.admin)).statusCode).toBe(200);
    });
  });
});
