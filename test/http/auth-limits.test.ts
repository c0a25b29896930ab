import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Harness } from '../support/http.ts';
import { TicketOut } from '../../src/contract/tickets.contract.ts';

// Issue 17, item 9 (two of its holes): a read-only API key may not write
// presence, and failing sign-ins from one address do not lock the owner out.

describeEachDialect('small holes in access', (handle) => {
  let api: Harness;
  beforeAll(async () => {
    api = await startHarness(handle().db);
  });
  afterAll(() => api.close());

  it('presence heartbeats and leaving need the tickets:write scope', async () => {
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const { number } = (
      await jane.post('/api/v1/tickets', {
        subject: 'Printer',
        body: 'x',
        requester: { email: 'p@example.org' },
      })
    ).as(TicketOut);
    const url = `/api/v1/tickets/${number}/presence`;
    const reader = await api.withKey({
      name: 'reader',
      agent: 'jane@deskline.local',
      scopes: ['tickets:read'],
    });
    const put = await reader.request('PUT', url, { activity: 'replying' });
    expect([put.status, put.error().code]).toEqual([403, 'scope_missing']);
    const del = await reader.del(url);
    expect([del.status, del.error().code]).toEqual([403, 'scope_missing']);
    expect(await api.desk.db.selectFrom('ticket_presence').select('agent_id').execute()).toEqual([]);
    const writer = await api.withKey({
      name: 'writer',
      agent: 'jane@deskline.local',
      scopes: ['tickets:write'],
    });
    expect((await writer.request('PUT', url, { activity: 'viewing' })).status).toBe(200);
    expect((await writer.del(url)).status).toBe(204);
  });

  it('failures from one address do not lock the owner out from another; the guesser stays stopped', async () => {
    await api.withRateLimits({ loginPerAccount: 3, loginPerIp: 50 }, async () => {
      const signIn = async (password: string, from: string) => {
        const res = await api.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { email: 'admin@deskline.local', password },
          remoteAddress: from,
        });
        return res.statusCode;
      };
      const attacker = '203.0.113.66';
      const tries = [];
      for (let i = 0; i < 5; i++) tries.push(await signIn('guess-' + i, attacker));
      expect(tries).toEqual([401, 401, 401, 429, 429]);
      // The owner, from an address that has not failed, signs in with the right password.
      expect(await signIn(PASSWORDS.admin, '198.51.100.7')).toBe(200);
      expect(await signIn(PASSWORDS.admin, '198.51.100.7')).toBe(200);
      // The guesser is still stopped, even with the right password.
      expect(await signIn(PASSWORDS.admin, attacker)).toBe(429);
      // Another guessing address gets one try while the account is under attack, then it is stopped too.
      expect(await signIn('other-guess', '192.0.2.9')).toBe(401);
      expect(await signIn(PASSWORDS.admin, '192.0.2.9')).toBe(429);
      // The window passes: everyone may try again.
      api.desk.clock.advance(61_000);
      expect(await signIn(PASSWORDS.admin, attacker)).toBe(200);
    });
  });
});
