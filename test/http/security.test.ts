import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAgent } from '../../src/modules/directory/agents.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Client, type Harness, type Session } from '../support/http.ts';
import { TicketOut, TicketPageOut } from '../../src/contract/tickets.contract.ts';

describeEachDialect('security', (handle) => {
  let api: Harness;
  let jane: Session;
  let karen: Session;
  let other: Client;
  let billingOnly: Client;
  let karensTicket: string;
  let othersTicket: string;

  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    other = await api.signUp('olga@example.net', 'Olga', 'olga-password');
    await createAgent(api.desk.deps, {
      email: 'bill@deskline.local',
      name: 'Bill Ing',
      password: 'bill-password',
      departments: [{ department: 'Billing' }],
    });
    billingOnly = await api.login('bill@deskline.local', 'bill-password');
    karensTicket = (
      await karen.post('/api/v1/tickets', {
        subject: 'Karen private matter',
        body: 'my account number is 4711',
        requester: { email: 'karen@example.com' },
      })
    ).as(TicketOut).number;
    othersTicket = (
      await other.post('/api/v1/tickets', {
        subject: 'Olga private matter',
        body: 'olga secret body',
        requester: { email: 'olga@example.net' },
      })
    ).as(TicketOut).number;
    await jane.post(`/api/v1/tickets/${karensTicket}/notes`, { body: 'sensitive staff gossip pangolin' });
  });
  afterAll(() => api.close());

  it('a customer cannot read, list, search or act on another customer’s ticket', async () => {
    const read = await karen.get(`/api/v1/tickets/${othersTicket}`);
    expect([read.status, read.error().code]).toEqual([404, 'ticket_not_found']);
    expect((await karen.get(`/api/v1/tickets/${othersTicket}/thread`)).status).toBe(404);
    expect((await karen.post(`/api/v1/tickets/${othersTicket}/replies`, { body: 'hi' })).status).toBe(404);
    expect((await karen.post(`/api/v1/tickets/${othersTicket}/reopen`, {})).status).toBe(404);
    const list = JSON.stringify((await karen.get('/api/v1/tickets?limit=100')).json);
    expect(list).not.toContain(othersTicket);
    const search = (await karen.get('/api/v1/tickets?q=olga')).as(TicketPageOut).items;
    expect(search).toEqual([]);
    expect((await karen.get('/api/v1/tickets?q=secret')).as(TicketPageOut).items).toEqual([]);
    // Guessing numbers gives the same answer as a number that does not exist.
    const missing = await karen.get('/api/v1/tickets/99999999');
    expect(missing.json).toEqual(read.json);
  });

  it('an agent without access to the department gets 404, also through search and lists', async () => {
    const res = await billingOnly.get(`/api/v1/tickets/${karensTicket}`);
    expect([res.status, res.error().code]).toEqual([404, 'ticket_not_found']);
    expect((await billingOnly.post(`/api/v1/tickets/${karensTicket}/notes`, { body: 'x' })).status).toBe(404);
    expect((await billingOnly.patch(`/api/v1/tickets/${karensTicket}`, { priority: 'High' })).status).toBe(
      404,
    );
    expect((await billingOnly.get('/api/v1/tickets?q=karen')).as(TicketPageOut).items).toEqual([]);
    expect((await billingOnly.get('/api/v1/tickets?department=Support')).as(TicketPageOut).items).toEqual([]);
  });

  it('internal notes never reach the customer through any endpoint', async () => {
    const bodies = [
      (await karen.get(`/api/v1/tickets/${karensTicket}`)).body,
      (await karen.get(`/api/v1/tickets/${karensTicket}/thread`)).body,
      (await karen.get('/api/v1/tickets?limit=100')).body,
      (await karen.get('/api/v1/tickets?q=pangolin')).body,
      (await karen.post(`/api/v1/tickets/${karensTicket}/replies`, { body: 'any news?' })).body,
    ];
    for (const b of bodies) expect(b).not.toContain('pangolin');
    expect((await karen.get('/api/v1/tickets?q=pangolin')).as(TicketPageOut).items).toEqual([]);
    expect((await jane.get('/api/v1/tickets?q=pangolin')).as(TicketPageOut).items).toHaveLength(1);
  });

  it('a stolen session cookie without its CSRF token can read but not write', async () => {
    const stolen = { cookie: jane.cookie };
    expect((await api.anonymous.get(`/api/v1/tickets/${karensTicket}`, stolen)).status).toBe(200);
    for (const res of [
      await api.anonymous.post(`/api/v1/tickets/${karensTicket}/notes`, { body: 'forged' }, stolen),
      await api.anonymous.patch(`/api/v1/tickets/${karensTicket}`, { priority: 'Low' }, stolen),
      await api.anonymous.post(
        `/api/v1/tickets/${karensTicket}/notes`,
        { body: 'forged' },
        { ...stolen, 'x-csrf-token': karen.csrf },
      ),
      await api.anonymous.del('/api/v1/session', stolen),
    ]) {
      expect([res.status, res.error().code]).toEqual([403, 'csrf_failed']);
    }
    const notes = await api.desk.db
      .selectFrom('thread_entries')
      .select('body')
      .where('body', '=', 'forged')
      .execute();
    expect(notes).toEqual([]);
  });

  it('HTML with scripts is stored sanitized and never comes back executable', async () => {
    const posted = await jane.post(`/api/v1/tickets/${karensTicket}/replies`, {
      body: '<p onclick="steal()">Fixed</p><script>alert(document.cookie)</script><a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>',
      format: 'html',
    });
    expect(posted.status).toBe(201);
    const all = (await karen.get(`/api/v1/tickets/${karensTicket}`)).body;
    for (const needle of ['<script', 'onclick', 'onerror', 'javascript:']) expect(all).not.toContain(needle);
    expect(all).toContain('Fixed');
  });

  it('a key bound to 10.0.0.0/8 is refused from 127.0.0.1 over a real socket; 127.0.0.0/8 is accepted', async () => {
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = api.app.server.address() as AddressInfo;
    const far = await api.withKey({ name: 'vpn only', cidrs: ['10.0.0.0/8'] });
    const near = await api.withKey({ name: 'local', cidrs: ['127.0.0.0/8', '::1/128'] });
    const call = (key: string) =>
      fetch(`http://127.0.0.1:${port}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    const refused = await call(far.key);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('api_key_ip_not_allowed');
    expect((await call(near.key)).status).toBe(200);
  });
});
