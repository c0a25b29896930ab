import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from '../support/factories.ts';
import { describeEachDialect, freshDatabase } from '../support/db.ts';
import { servedRoutes } from '../../src/http/app.ts';
import { createAgent } from '../../src/modules/directory/agents.service.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';
import { RedeemedOut } from '../../src/contract/auth.contract.ts';
import { OrganizationOut } from '../../src/contract/directory.contract.ts';
import { PostedOut, TicketDetailOut, TicketOut, TicketPageOut } from '../../src/contract/tickets.contract.ts';

const newTicket = (over: Record<string, unknown> = {}) => ({
  subject: 'VPN drops every hour',
  body: 'Since Monday the VPN disconnects every hour on the hour.',
  requester: { email: 'sam@example.org', name: 'Sam Field' },
  ...over,
});

describeEachDialect('tickets API', (handle) => {
  let api: Harness;
  let jane: Client;
  let admin: Client;
  let karen: Client;

  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
  });
  afterAll(() => api.close());

  it('creates a ticket and reads it back with the minimum contract', async () => {
    const created = await jane.post(
      '/api/v1/tickets',
      newTicket({ priority: 'High', helpTopic: 'General Inquiry' }),
    );
    expect(created.status).toBe(201);
    const { number } = created.as(TicketOut);
    expect(number).toMatch(/^\d+$/);
    const res = await jane.get(`/api/v1/tickets/${number}`);
    expect(res.status).toBe(200);
    const t = res.as(TicketDetailOut);
    expect(t).toMatchObject({
      number,
      subject: 'VPN drops every hour',
      status: 'Open',
      state: 'open',
      priority: 'High',
      department: 'Support',
      team: null,
      assignee: null,
      helpTopic: 'General Inquiry',
      source: 'api',
      requester: { email: 'sam@example.org', name: 'Sam Field' },
    });
    expect(Date.parse(t.createdAt)).toBe(api.desk.clock.now());
    expect(typeof t.updatedAt).toBe('string');
    expect(t.thread.map((e) => e.kind)).toEqual(['message', 'event']);
    expect(t.thread[0]).toMatchObject({
      kind: 'message',
      body: 'Since Monday the VPN disconnects every hour on the hour.',
      author: { type: 'customer', name: 'Sam Field', email: 'sam@example.org' },
    });
  });

  it('replies, notes, PATCH and actions show up in the thread in order', async () => {
    const { number } = (await jane.post('/api/v1/tickets', newTicket())).as(TicketOut);
    expect((await jane.post(`/api/v1/tickets/${number}/notes`, { body: 'Checked the logs' })).status).toBe(
      201,
    );
    const reply = await jane.post(`/api/v1/tickets/${number}/replies`, {
      body: 'Please try the new client',
      setState: 'pending',
    });
    expect(reply.status).toBe(201);
    const posted = reply.as(PostedOut);
    expect(posted.ticket.state).toBe('pending');
    expect(posted.entry).toMatchObject({ kind: 'reply', author: { type: 'agent', name: 'Jane Doe' } });

    const patched = await jane.patch(`/api/v1/tickets/${number}`, {
      priority: 'Emergency',
      assignee: 'jane@deskline.local',
    });
    expect(patched.status).toBe(200);
    expect(patched.as(TicketOut)).toMatchObject({
      priority: 'Emergency',
      assignee: { name: 'Jane Doe', email: 'jane@deskline.local' },
    });

    expect((await jane.post(`/api/v1/tickets/${number}/resolve`, {})).as(TicketOut).state).toBe('resolved');
    expect(
      (await jane.post(`/api/v1/tickets/${number}/close`, { reason: 'fixed by new client' })).as(TicketOut)
        .state,
    ).toBe('closed');
    expect((await jane.post(`/api/v1/tickets/${number}/reopen`, {})).as(TicketOut).state).toBe('open');

    const thread = (await jane.get(`/api/v1/tickets/${number}/thread`)).as(TicketDetailOut.shape.thread);
    expect(thread.filter((e) => e.kind !== 'event').map((e) => e.kind)).toEqual(['message', 'note', 'reply']);
    const events = thread.filter((e) => e.kind === 'event').map((e) => e.type);
    expect(events).toEqual(
      expect.arrayContaining(['created', 'assigned', 'priority_changed', 'resolved', 'closed', 'reopened']),
    );
    expect(thread.find((e) => e.type === 'assigned')?.body).toBe('Assigned to Jane Doe');
  });

  it('PATCH is all or nothing: one unknown field value changes nothing', async () => {
    const { number } = (await jane.post('/api/v1/tickets', newTicket())).as(TicketOut);
    const before = await countRows(api.desk.db);
    const res = await jane.patch(`/api/v1/tickets/${number}`, { priority: 'High', department: 'Nowhere' });
    expect(res.status).toBe(404);
    expect(res.error().code).toBe('department_not_found');
    expect((await jane.get(`/api/v1/tickets/${number}`)).as(TicketOut).priority).toBe('Normal');
    expect(await countRows(api.desk.db)).toEqual(before);
    const empty = await jane.patch(`/api/v1/tickets/${number}`, {});
    expect([empty.status, empty.error().code]).toEqual([422, 'validation_failed']);
    const unknown = await jane.patch(`/api/v1/tickets/${number}`, { color: 'red' });
    expect([unknown.status, unknown.error().code]).toEqual([422, 'validation_failed']);
  });

  it('lists with filters and pages with a cursor, never repeating a ticket', async () => {
    for (let i = 0; i < 7; i++) {
      api.desk.clock.advance(1000);
      await admin.post(
        '/api/v1/tickets',
        newTicket({ subject: `Billing question ${i}`, department: 'Billing' }),
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/tickets?department=Billing&state=open&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await admin.get(url);
      expect(page.status).toBe(200);
      const { items, nextCursor } = page.as(TicketPageOut);
      seen.push(...items.map((t) => t.number));
      for (const t of items) expect(t.department).toBe('Billing');
      cursor = nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(7);
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await admin.get('/api/v1/tickets?cursor=garbage');
    expect([bad.status, bad.error().code]).toEqual([422, 'invalid_cursor']);
    const badState = await admin.get('/api/v1/tickets?state=sleeping');
    expect(badState.status).toBe(422);
  });

  it('an agent lists only departments they may view; queues use the indexed reader', async () => {
    const billing = (await jane.get('/api/v1/tickets?department=Billing')).as(TicketPageOut).items;
    expect(billing).toEqual([]);
    const open = await jane.get('/api/v1/tickets?queue=open&limit=100');
    expect(open.status).toBe(200);
    for (const t of open.as(TicketPageOut).items) expect(t.department).toBe('Support');
    const mine = await jane.get('/api/v1/tickets?queue=mine');
    for (const t of mine.as(TicketPageOut).items) expect(t.assignee?.email).toBe('jane@deskline.local');
    expect((await karen.get('/api/v1/tickets?queue=open')).status).toBe(403);
  });

  it('searches subjects and thread text, with prefixes; notes only for staff', async () => {
    const { number } = (
      await karen.post('/api/v1/tickets', {
        subject: 'Kaleidoscope dashboard blank',
        body: 'The graphs are empty',
        requester: { email: 'karen@example.com' },
      })
    ).as(TicketOut);
    await jane.post(`/api/v1/tickets/${number}/notes`, { body: 'zanzibar firmware regression suspected' });
    await jane.post(`/api/v1/tickets/${number}/replies`, { body: 'We are looking into the quokka cache' });
    const find = async (c: Client, q: string) =>
      (await c.get(`/api/v1/tickets?q=${encodeURIComponent(q)}`))
        .as(TicketPageOut)
        .items.map((t) => t.number);
    expect(await find(jane, 'kaleidoscope')).toEqual([number]);
    expect(await find(jane, 'kaleido')).toEqual([number]);
    expect(await find(jane, 'quokka cache')).toEqual([number]);
    expect(await find(jane, 'zanzibar')).toEqual([number]);
    expect(await find(jane, `#${number}`)).toEqual([number]);
    expect(await find(karen, 'quokka')).toEqual([number]);
    expect(await find(karen, 'zanzibar')).toEqual([]);
    expect(await find(jane, 'kaleidoscope nonexistentword')).toEqual([]);
    const symbols = await jane.get(`/api/v1/tickets?q=${encodeURIComponent('"*) - (')}`);
    expect([symbols.status, symbols.error().code]).toEqual([422, 'search_query_empty']);
    const quoted = await jane.get(`/api/v1/tickets?q=${encodeURIComponent('"quokka" OR *')}`);
    expect(quoted.status).toBe(200);
  });

  it('customers see their own tickets: public thread only, staff details hidden', async () => {
    const { number } = (
      await karen.post('/api/v1/tickets', {
        subject: 'Invoice copy',
        body: 'Please send the March invoice',
        requester: { email: 'someone-else@example.com' },
      })
    ).as(TicketOut);
    await jane.post(`/api/v1/tickets/${number}/notes`, { body: 'secret internal remark' });
    await jane.post(`/api/v1/tickets/${number}/assign`, { assignee: 'jane@deskline.local' });
    await jane.post(`/api/v1/tickets/${number}/replies`, { body: 'Sent!' });
    const t = (await karen.get(`/api/v1/tickets/${number}`)).as(TicketDetailOut);
    expect(t.requester.email).toBe('karen@example.com');
    expect(t.source).toBe('web');
    expect(t.assignee).toEqual({ id: null, name: 'Jane Doe', email: null });
    expect(JSON.stringify(t)).not.toContain('secret internal remark');
    expect(t.thread.map((e) => e.kind)).not.toContain('note');
    expect(t.thread.filter((e) => e.kind === 'event').map((e) => e.type)).toEqual(['created']);
    const mine = (await karen.get('/api/v1/tickets')).as(TicketPageOut).items.map((x) => x.number);
    expect(mine).toContain(number);
    const staffOnly = await karen.post('/api/v1/tickets', {
      ...newTicket(),
      assignee: 'jane@deskline.local',
    });
    expect([staffOnly.status, staffOnly.error().code]).toEqual([403, 'forbidden']);
    const reply = await karen.post(`/api/v1/tickets/${number}/replies`, { body: 'Thanks, got it' });
    expect(reply.as(PostedOut).entry).toMatchObject({
      kind: 'message',
      author: { type: 'customer', email: 'karen@example.com' },
    });
    expect((await karen.post(`/api/v1/tickets/${number}/notes`, { body: 'x' })).status).toBe(403);
    expect((await karen.patch(`/api/v1/tickets/${number}`, { priority: 'High' })).status).toBe(403);
  });

  it('an anonymous visitor opens a ticket from the portal and gets a sign-in link by mail', async () => {
    const res = await api.anonymous.post(
      '/api/v1/tickets',
      newTicket({ requester: { email: 'walkin@example.net', name: 'Walk In' } }),
    );
    expect(res.status).toBe(201);
    const created = res.as(TicketOut);
    expect(created).toMatchObject({ source: 'web', requester: { email: 'walkin@example.net' } });
    const hidden = await api.anonymous.get(`/api/v1/tickets/${created.number}`);
    expect([hidden.status, hidden.error().code]).toEqual([401, 'unauthenticated']);
    await api.runJobs();
    const mails = await api.desk.db
      .selectFrom('mail_log')
      .select(['subject', 'body'])
      .where('to_address', '=', 'walkin@example.net')
      .execute();
    const link = mails.map((m) => /\/access\/([\w-]+)/.exec(m.body)?.[1]).find(Boolean);
    expect(mails.some((m) => m.subject.includes(created.number))).toBe(true);
    expect(link).toMatch(/^[\w-]{32}$/);
    const redeemed = await api.anonymous.post('/api/v1/portal/access-links/redeem', { token: link });
    expect(redeemed.status).toBe(200);
    expect(redeemed.as(RedeemedOut).user.email).toBe('walkin@example.net');
  });

  it('bad input: malformed JSON, wrong types, unknown fields, oversized bodies; nothing written', async () => {
    const before = await countRows(api.desk.db);
    const malformed = await jane.request('POST', '/api/v1/tickets', '{"subject": ', {
      'content-type': 'application/json',
    });
    expect([malformed.status, malformed.error().code]).toEqual([400, 'invalid_json']);
    const wrongType = await jane.post('/api/v1/tickets', newTicket({ subject: 42 }));
    expect([wrongType.status, wrongType.error().code]).toEqual([422, 'validation_failed']);
    expect((wrongType.error().details as { path: string }[])[0]!.path).toBe('subject');
    const unknown = await jane.post('/api/v1/tickets', newTicket({ urgency: 'very' }));
    expect([unknown.status, unknown.error().code]).toEqual([422, 'validation_failed']);
    const huge = await jane.request(
      'POST',
      '/api/v1/tickets',
      JSON.stringify(newTicket({ body: 'x'.repeat(26 * 1024 * 1024) })),
      {
        'content-type': 'application/json',
      },
    );
    expect([huge.status, huge.error().code]).toEqual([413, 'payload_too_large']);
    const tooLong = await jane.post('/api/v1/tickets', newTicket({ subject: 's'.repeat(300) }));
    expect(tooLong.status).toBe(422);
    expect(await countRows(api.desk.db)).toEqual(before);
  });

  it("organization members see each other's tickets only when the organization shares them", async () => {
    const org = await admin.post('/api/v1/organizations', {
      name: 'Acme',
      domain: 'acme.example',
      sharesTickets: false,
    });
    const ann = await api.signUp('ann@acme.example', 'ann', 'ann-password-1');
    const bob = await api.signUp('bob@acme.example', 'bob', 'bob-password-1');
    const { number } = (
      await ann.post('/api/v1/tickets', {
        subject: 'Acme printer',
        body: 'x',
        requester: { email: 'ann@acme.example' },
      })
    ).as(TicketOut);
    expect((await bob.get(`/api/v1/tickets/${number}`)).status).toBe(404);
    await admin.patch(`/api/v1/organizations/${org.as(OrganizationOut).id}`, { sharesTickets: true });
    const bobAgain = await api.login('bob@acme.example', 'bob-password-1', 'customer');
    expect((await bobAgain.get(`/api/v1/tickets/${number}`)).status).toBe(200);
    expect((await bobAgain.get('/api/v1/tickets')).as(TicketPageOut).items.map((t) => t.number)).toContain(
      number,
    );
  });

  it('delete needs the delete permission and removes the thread', async () => {
    const { number, id } = (await jane.post('/api/v1/tickets', newTicket())).as(TicketOut);
    await createAgent(api.desk.deps, {
      email: 'viewer@deskline.local',
      name: 'Vera Viewer',
      password: 'viewer-password',
      departments: [{ department: 'Support', permissions: ['view', 'reply'] }],
    });
    const vera = await api.login('viewer@deskline.local', 'viewer-password');
    const refused = await vera.del(`/api/v1/tickets/${number}`);
    expect([refused.status, refused.error().code]).toEqual([403, 'forbidden']);
    const jerry = await api.login('jerry@deskline.local', PASSWORDS.agent);
    expect((await jerry.del(`/api/v1/tickets/${number}`)).status).toBe(404);
    expect((await admin.del(`/api/v1/tickets/${number}`)).status).toBe(204);
    expect((await admin.get(`/api/v1/tickets/${number}`)).status).toBe(404);
    const left = await api.desk.db
      .selectFrom('thread_entries')
      .select('id')
      .where('ticket_id', '=', id)
      .execute();
    expect(left).toEqual([]);
  });

  it('an API key acts as its agent or, without one, as the system', async () => {
    const asJane = await api.withKey({ name: 'jane script', agent: 'jane@deskline.local' });
    const created = await asJane.post('/api/v1/tickets', newTicket({ department: 'Billing' }));
    expect(created.status).toBe(201);
    // Jane cannot see Billing: the ticket her key opened there is not hers to read.
    expect((await asJane.get(`/api/v1/tickets/${created.as(TicketOut).number}`)).status).toBe(404);
    const system = await api.withKey({ name: 'monitoring' });
    expect((await system.get(`/api/v1/tickets/${created.as(TicketOut).number}`)).status).toBe(200);
    const readOnly = await api.withKey({ name: 'ro', scopes: ['tickets:read'] });
    const denied = await readOnly.post('/api/v1/tickets', newTicket());
    expect([denied.status, denied.error().code]).toEqual([403, 'scope_missing']);
  });
});

describe('OpenAPI', () => {
  it('documents every /api route the server answers, and serves a page to browse them', async () => {
    const h = await freshDatabase('sqlite');
    const api = await startHarness(h.db);
    const doc = (await api.anonymous.get('/api/openapi.json')).json as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)),
    );
    const served = servedRoutes(api.app)
      .filter((r) => r.includes(' /api/') && !/ \/api\/(openapi\.json|docs)$/.test(r))
      .map((r) => r.replace(/:([A-Za-z_]+)/g, '{$1}'));
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
    // Answers are documented with their fields, not as opaque objects.
    const paths = doc.paths as Record<
      string,
      Record<
        string,
        {
          responses: Record<
            string,
            { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }
          >;
        }
      >
    >;
    const okSchema = (path: string, method: string, status = '200') =>
      paths[path]![method]!.responses[status]!.content!['application/json']!.schema;
    expect(Object.keys(okSchema('/api/v1/tickets/{number}', 'get').properties!)).toEqual(
      expect.arrayContaining([
        'number',
        'subject',
        'status',
        'state',
        'priority',
        'department',
        'team',
        'assignee',
        'helpTopic',
        'source',
        'requester',
        'createdAt',
        'updatedAt',
        'thread',
      ]),
    );
    expect(Object.keys(okSchema('/api/v1/agents/{id}', 'get').properties!)).toContain('departments');
    expect(Object.keys(okSchema('/api/v1/departments', 'post', '201').properties!)).toContain(
      'autoCloseDays',
    );
    const page = await api.anonymous.get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('/api/openapi.json');
    await api.close();
    await h.close();
  });
});
