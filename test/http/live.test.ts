import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';
import { openStream, type Frame } from '../support/sse.ts';
import { PresenceOut } from '../../src/contract/live.contract.ts';
import { TicketOut } from '../../src/contract/tickets.contract.ts';

// Live updates over a real socket: the SSE stream at /api/v1/events and the
// ticket presence heartbeat, with the read rule deciding who hears what.

const outage = (subject: string) => ({
  subject,
  body: 'The payment gateway answers 502.',
  requester: { email: 'ops@example.org', name: 'Ops Desk' },
  department: 'Support',
});

describeEachDialect('live updates', (handle) => {
  let api: Harness;
  let base: string;
  let jane: Session;
  let jerry: Session;
  let admin: Session;
  let karen: Session;

  beforeAll(async () => {
    api = await startHarness(handle().db);
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    jerry = await api.login('jerry@deskline.local', PASSWORDS.agent);
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
  });
  afterAll(() => api.close());

  const newTicket = async (subject: string) => {
    const res = await jane.post('/api/v1/tickets', outage(subject));
    expect(res.status).toBe(201);
    return res.as(TicketOut).number;
  };

  it('presence: others only, expiry after 30 s, leave, and 404 for an agent who cannot see the ticket', async () => {
    const number = await newTicket('Presence check');
    const url = `/api/v1/tickets/${number}/presence`;
    expect((await jane.request('PUT', url, { activity: 'viewing' })).json).toEqual({ others: [] });
    const seen = await admin.request('PUT', url, { activity: 'viewing' });
    expect(seen.as(PresenceOut).others).toEqual([
      { agentId: expect.any(Number), name: 'Jane Doe', activity: 'viewing' },
    ]);
    const replying = await jane.request('PUT', url, { activity: 'replying' });
    expect(replying.as(PresenceOut).others.map((o) => o.name)).toEqual(['Deskline Admin']);
    expect(
      (await admin.request('PUT', url, { activity: 'viewing' })).as(PresenceOut).others[0]!.activity,
    ).toBe('replying');

    // Jane stops heartbeating: 30 s later she is gone for the admin.
    api.desk.clock.advance(29_000);
    expect((await admin.request('PUT', url, { activity: 'viewing' })).as(PresenceOut).others).toHaveLength(1);
    api.desk.clock.advance(2_000);
    expect((await admin.request('PUT', url, { activity: 'viewing' })).as(PresenceOut).others).toEqual([]);

    // The admin leaves: Jane, back, sees nobody.
    expect((await admin.del(url)).status).toBe(204);
    expect((await jane.request('PUT', url, { activity: 'viewing' })).as(PresenceOut).others).toEqual([]);

    // Jerry (SysAdmin) may not see a Support ticket: 404, as for a read; customers are refused.
    const hidden = await jerry.request('PUT', url, { activity: 'viewing' });
    expect(hidden.status).toBe(404);
    expect(hidden.error().code).toBe('ticket_not_found');
    expect((await jerry.del(url)).status).toBe(404);
    expect((await karen.request('PUT', url, { activity: 'viewing' })).status).toBe(403);
    expect((await jane.request('PUT', url, { activity: 'typing' })).status).toBe(422);
  });

  it('SSE: agents who may view a ticket hear its changes; others hear nothing; customers are refused', async () => {
    const refused = await openStream(`${base}/api/v1/events`, { cookie: karen.cookie });
    expect(refused.status).toBe(403);
    const anonymous = await openStream(`${base}/api/v1/events`, {});
    expect(anonymous.status).toBe(401);

    const janeStream = await openStream(`${base}/api/v1/events`, { cookie: jane.cookie });
    const jerryStream = await openStream(`${base}/api/v1/events`, { cookie: jerry.cookie });
    expect(janeStream.status).toBe(200);
    try {
      const number = await newTicket('Gateway 502');
      const about = (kind: string) => (f: Frame) =>
        f.event === 'ticket' &&
        (f.data as { number: string; kind: string }).number === number &&
        (f.data as { kind: string }).kind === kind;
      await janeStream.waitFor(about('created'));
      expect(
        (await jane.post(`/api/v1/tickets/${number}/notes`, { body: 'Checking the gateway.' })).status,
      ).toBe(201);
      await janeStream.waitFor(about('noted'));
      // Jerry cannot see the Support ticket, so nothing about it reached him.
      expect(jerryStream.frames.filter((f) => (f.data as { number: string }).number === number)).toEqual([]);

      // Presence is pushed too: Jerry's heartbeat would be refused, the admin's is announced to Jane.
      await admin.request('PUT', `/api/v1/tickets/${number}/presence`, { activity: 'replying' });
      await janeStream.waitFor(
        (f) => f.event === 'presence' && (f.data as { number: string }).number === number,
      );

      // Given to the SysAdmin team, the ticket becomes Jerry's to see, and so do its events.
      expect((await jane.post(`/api/v1/tickets/${number}/assign`, { team: 'SysAdmin' })).status).toBe(200);
      await jerryStream.waitFor(about('assigned'));
      expect(jerryStream.frames.some(about('noted'))).toBe(false);
    } finally {
      janeStream.close();
      jerryStream.close();
    }
  });

  it('a change made through one instance reaches streams on another; closing an instance ends its streams', async () => {
    // A second app over the same database stands in for a second server process.
    const other = await startHarness(handle().db, { seed: false });
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (other.app.server.address() as AddressInfo).port;
    const session = await other.login('jane@deskline.local', PASSWORDS.agent);
    const stream = await openStream(`http://127.0.0.1:${port}/api/v1/events`, { cookie: session.cookie });
    expect(stream.status).toBe(200);
    const number = await newTicket('Made on the first instance');
    await stream.waitFor((f) => f.event === 'ticket' && (f.data as { number: string }).number === number);

    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(3000);
    stream.close();
  });
});
