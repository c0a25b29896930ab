import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';
import { PostedOut, TicketDetailOut, TicketOut } from '../../src/contract/tickets.contract.ts';

// Who may download which file: whoever may see the ticket, except that a
// customer never gets the files of internal notes. Everything else is 404.

const file = (filename: string, text: string) => ({ filename, data: Buffer.from(text).toString('base64') });

interface Listed {
  kind: string;
  filename: string;
  url: string;
}

describeEachDialect('attachment downloads', (handle) => {
  let api: Harness;
  let jane: Client;
  let karen: Client;
  let number: string;
  const urls: Record<'message' | 'reply' | 'note' | 'customerMessage', string> = {
    message: '',
    reply: '',
    note: '',
    customerMessage: '',
  };

  const listed = async (c: Client, n = number): Promise<Listed[]> => {
    const res = await c.get(`/api/v1/tickets/${n}`);
    expect(res.status).toBe(200);
    return res
      .as(TicketDetailOut)
      .thread.flatMap((e) => e.attachments.map((a) => ({ kind: e.kind, filename: a.filename, url: a.url })));
  };

  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    const created = await karen.post('/api/v1/tickets', {
      subject: 'Screenshot of the error',
      body: 'See attached',
      requester: { email: 'karen@example.com' },
      attachments: [file('error.txt', 'stack trace here')],
    });
    expect(created.status).toBe(201);
    number = created.as(TicketOut).number;
    const reply = await jane.post(`/api/v1/tickets/${number}/replies`, {
      body: 'Try this patch',
      attachments: [file('fix.patch', 'diff --git')],
    });
    const note = await jane.post(`/api/v1/tickets/${number}/notes`, {
      body: 'Internal log',
      attachments: [file('internal.log', 'secret log')],
    });
    const again = await karen.post(`/api/v1/tickets/${number}/replies`, {
      body: 'Still broken',
      attachments: [file('second.txt', 'more trace')],
    });
    expect([reply.status, note.status, again.status]).toEqual([201, 201, 201]);
    expect(again.as(PostedOut).entry.kind).toBe('message');
    const all = await listed(jane);
    urls.message = all.find((a) => a.filename === 'error.txt')!.url;
    urls.reply = all.find((a) => a.filename === 'fix.patch')!.url;
    urls.note = all.find((a) => a.filename === 'internal.log')!.url;
    urls.customerMessage = all.find((a) => a.filename === 'second.txt')!.url;
  });
  afterAll(() => api.close());

  it('files sit on the entry they were posted with: message, reply, note, customer message', async () => {
    expect((await listed(jane)).map((a) => [a.kind, a.filename])).toEqual([
      ['message', 'error.txt'],
      ['reply', 'fix.patch'],
      ['note', 'internal.log'],
      ['message', 'second.txt'],
    ]);
  });

  it('staff who see the ticket download every file, as an attachment with nosniff', async () => {
    for (const [url, text] of [
      [urls.message, 'stack trace here'],
      [urls.reply, 'diff --git'],
      [urls.note, 'secret log'],
      [urls.customerMessage, 'more trace'],
    ] as const) {
      const res = await jane.get(url);
      expect([res.status, res.body]).toEqual([200, text]);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const system = await api.withKey({ name: 'reader', scopes: ['tickets:read'] });
    expect((await system.get(urls.note)).status).toBe(200);
  });

  it('the requester gets the public files; a note file is 404 and is not listed', async () => {
    expect((await listed(karen)).map((a) => a.filename)).toEqual(['error.txt', 'fix.patch', 'second.txt']);
    expect((await karen.get(urls.reply)).body).toBe('diff --git');
    const hidden = await karen.get(urls.note);
    expect([hidden.status, hidden.error().code]).toEqual([404, 'attachment_not_found']);
  });

  it('a collaborator gets the public files too, never the note file', async () => {
    const colleague = await api.signUp('colleague@partner.example', 'Colleague', 'colleague-password-1');
    const ticket = await api.desk.db
      .selectFrom('tickets')
      .select('id')
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    const customer = await api.desk.db
      .selectFrom('customers')
      .select('id')
      .where('email', '=', 'colleague@partner.example')
      .executeTakeFirstOrThrow();
    expect((await colleague.get(urls.message)).status).toBe(404);
    await api.desk.db
      .insertInto('ticket_collaborators')
      .values({ ticket_id: ticket.id, customer_id: customer.id, created_at: api.desk.clock.now() })
      .execute();
    expect((await colleague.get(urls.message)).status).toBe(200);
    const note = await colleague.get(urls.note);
    expect([note.status, note.error().code]).toEqual([404, 'attachment_not_found']);
  });

  it('another customer, an agent outside the department, and a missing id all get 404', async () => {
    const other = await api.signUp('other@elsewhere.example', 'Other', 'other-password-1');
    const jerry = await api.login('jerry@deskline.local', PASSWORDS.agent);
    for (const c of [other, jerry]) {
      for (const url of Object.values(urls)) {
        const res = await c.get(url);
        expect([url, res.status, res.error().code]).toEqual([url, 404, 'attachment_not_found']);
      }
    }
    const missing = await jane.get('/api/v1/attachments/999999');
    expect([missing.status, missing.error().code]).toEqual([404, 'attachment_not_found']);
    expect((await api.anonymous.get(urls.message)).status).toBe(401);
  });
});
