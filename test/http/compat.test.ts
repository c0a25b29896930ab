import { afterAll, beforeAll, expect, it } from 'vitest';
import { countRows } from '../support/factories.ts';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Harness } from '../support/http.ts';

// osTicket's clients post with whatever Content-Type they like and read only the status and the number.

const alert = (over: Record<string, unknown> = {}) => ({
  name: 'Nagios',
  email: 'nagios@monitoring.example',
  subject: 'CRITICAL: disk /var on db-3 at 97%',
  message: 'Disk almost full',
  ...over,
});

describeEachDialect('osTicket-compatible intake', (handle) => {
  let api: Harness;
  let key: string;
  const post = (path: string, payload: string | Buffer, headers: Record<string, string> = {}) =>
    api.app.inject({ method: 'POST', url: path, payload, headers: { 'x-api-key': key, ...headers } });
  const ticketOf = (number: string) =>
    api.desk.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  const jobsOf = async (ticketId: number) =>
    (await api.desk.db.selectFrom('jobs').select(['type', 'payload']).execute())
      .filter((j) => (JSON.parse(j.payload) as { ticketId?: number }).ticketId === ticketId)
      .map((j) => j.type)
      .sort();

  beforeAll(async () => {
    api = await startHarness(handle().db);
    key = (await api.withKey({ name: 'monitoring' })).key;
  });
  afterAll(() => api.close());

  it('creates from JSON sent as form-urlencoded (PHP curl) and answers 201 with a bare number', async () => {
    const res = await post('/api/tickets.json', JSON.stringify(alert()), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/^\d+$/);
    expect(Number.parseInt(res.body, 10).toString()).toBe(res.body);
    const t = await ticketOf(res.body);
    expect(t.subject).toBe('CRITICAL: disk /var on db-3 at 97%');
    expect(t.source).toBe('api');
  });

  it('reads JSON under text/plain and with no Content-Type at all', async () => {
    expect(
      (await post('/api/tickets.json', JSON.stringify(alert()), { 'content-type': 'text/plain' })).statusCode,
    ).toBe(201);
    const bare = await api.app.inject({
      method: 'POST',
      url: '/api/tickets.json',
      payload: JSON.stringify(alert()),
      headers: { 'x-api-key': key },
    });
    expect(bare.statusCode).toBe(201);
  });

  it('maps topicId, priority by name or id, source, notes, duedate, alert and autorespond', async () => {
    const topic = await api.desk.db
      .selectFrom('help_topics')
      .selectAll()
      .where('name', '=', 'Business Critical Outage')
      .executeTakeFirstOrThrow();
    const res = await post(
      '/api/tickets.json',
      JSON.stringify(
        alert({
          topicId: topic.id,
          source: 'Phone',
          notes: 'called from the NOC',
          duedate: '2025-01-10T12:00:00Z',
          autorespond: false,
        }),
      ),
    );
    expect(res.statusCode).toBe(201);
    const t = await ticketOf(res.body);
    expect(t.help_topic_id).toBe(topic.id);
    expect(t.priority_id).toBe(topic.priority_id); // the topic's default applies
    expect(t.source).toBe('phone');
    expect(t.due_at).toBe(Date.parse('2025-01-10T12:00:00Z'));
    const note = await api.desk.db
      .selectFrom('thread_entries')
      .select('body')
      .where('ticket_id', '=', t.id)
      .where('kind', '=', 'note')
      .executeTakeFirst();
    expect(note?.body).toBe('called from the NOC');
    expect(await jobsOf(t.id)).toEqual(['notify.new_ticket']);

    const quiet = await post('/api/tickets.json', JSON.stringify(alert({ priority: 'High', alert: false })));
    const q = await ticketOf(quiet.body);
    const high = await api.desk.db
      .selectFrom('priorities')
      .selectAll()
      .where('name', '=', 'High')
      .executeTakeFirstOrThrow();
    expect(q.priority_id).toBe(high.id);
    expect(await jobsOf(q.id)).toEqual(['mail.acknowledgement']);
    const byId = await ticketOf(
      (await post('/api/tickets.json', JSON.stringify(alert({ priorityId: high.id })))).body,
    );
    expect(byId.priority_id).toBe(high.id);
  });

  it('sanitizes an HTML data-URL message and stores data-URL attachments under their base names', async () => {
    const html = encodeURIComponent('<p>Hello <b>team</b></p><script>alert(1)</script>');
    const res = await post(
      '/api/tickets.json',
      JSON.stringify(
        alert({
          message: `data:text/html;charset=utf-8,${html}`,
          attachments: [
            { 'log.txt': 'data:text/plain;charset=utf-8,disk%20full' },
            { '../../etc/shot.png': `data:image/png;base64,${Buffer.from('PNGDATA').toString('base64')}` },
          ],
        }),
      ),
    );
    expect(res.statusCode).toBe(201);
    const t = await ticketOf(res.body);
    const entry = await api.desk.db
      .selectFrom('thread_entries')
      .selectAll()
      .where('ticket_id', '=', t.id)
      .where('kind', '=', 'message')
      .executeTakeFirstOrThrow();
    expect(entry.format).toBe('html');
    expect(entry.body).toContain('<b>team</b>');
    expect(entry.body).not.toContain('script');
    const files = await api.desk.db
      .selectFrom('attachments')
      .select(['filename', 'size', 'content_type'])
      .where('ticket_id', '=', t.id)
      .orderBy('id')
      .execute();
    expect(files).toEqual([
      { filename: 'log.txt', size: 9, content_type: 'text/plain' },
      { filename: 'shot.png', size: 7, content_type: 'image/png' },
    ]);
  });

  it('accepts the XML format with a base64 file', async () => {
    const doc = `<?xml version="1.0" encoding="UTF-8"?>
<ticket alert="false" autorespond="true" source="Email">
  <name>Angry User</name><email>angry@example.com</email><subject>Testing API</subject>
  <phone>318-555-8634</phone>
  <message type="text/plain"><![CDATA[Message content here]]></message>
  <attachments>
    <file name="note.txt" type="text/plain">plain file</file>
    <file name="image.gif" type="image/gif" encoding="base64">${Buffer.from('GIF89a').toString('base64')}</file>
  </attachments>
</ticket>`;
    const res = await post('/api/tickets.xml', doc, { 'content-type': 'application/xml' });
    expect(res.statusCode).toBe(201);
    const t = await ticketOf(res.body);
    expect(t.source).toBe('email');
    const files = await api.desk.db
      .selectFrom('attachments')
      .select(['filename', 'size'])
      .where('ticket_id', '=', t.id)
      .orderBy('id')
      .execute();
    expect(files).toEqual([
      { filename: 'note.txt', size: 10 },
      { filename: 'image.gif', size: 6 },
    ]);
    expect(await jobsOf(t.id)).toEqual(['mail.acknowledgement']);
  });

  it('takes a raw email under every content type the automail scripts use', async () => {
    const mail = (i: number) =>
      Buffer.from(
        `From: "Pat Lee" <pat${i}@example.com>\r\nTo: support@deskline.local\r\nSubject: =?UTF-8?B?${Buffer.from('Drucker kaputt – Büro 3').toString('base64')}?=\r\nMessage-ID: <m${i}@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe printer is broken.\r\n`,
      );
    const types = [
      'text/plain',
      'message/rfc822',
      'application/octet-stream',
      'application/x-www-form-urlencoded',
    ];
    for (const [i, type] of types.entries()) {
      const res = await post('/api/tickets.email', mail(i), { 'content-type': type });
      expect(res.statusCode).toBe(201);
      const t = await ticketOf(res.body);
      expect(t.subject).toBe('Drucker kaputt – Büro 3');
      expect(t.source).toBe('email');
      const entry = await api.desk.db
        .selectFrom('thread_entries')
        .selectAll()
        .where('ticket_id', '=', t.id)
        .executeTakeFirstOrThrow();
      expect(entry.message_id).toBe(`<m${i}@example.com>`);
      expect(entry.body).toBe('The printer is broken.');
    }
  });

  it("answers osTicket's error statuses in plain text and writes nothing", async () => {
    const before = await countRows(api.desk.db);
    const cases: [string, string | Buffer, Record<string, string>, number][] = [
      ['/api/tickets.json', '{not json', {}, 400],
      ['/api/tickets.json', JSON.stringify(alert({ subject: '' })), {}, 500],
      ['/api/tickets.json', JSON.stringify({ name: 'x' }), {}, 500],
      ['/api/tickets.json', JSON.stringify(alert({ topicId: 9999 })), {}, 500],
      [
        '/api/tickets.json',
        JSON.stringify(alert({ attachments: [{ 'a.txt': 'data:text/plain;base64,@@@' }] })),
        {},
        400,
      ],
      [
        '/api/tickets.json',
        JSON.stringify(
          alert({ attachments: [{ 'setup.exe': 'data:application/octet-stream;base64,TVo=' }] }),
        ),
        {},
        400,
      ],
      ['/api/tickets.xml', '<ticket><name>', {}, 400],
      ['/api/tickets.email', '', {}, 400],
      ['/api/tickets.json', JSON.stringify(alert()), { 'x-api-key': 'F'.repeat(32) }, 401],
      ['/api/tickets.json', JSON.stringify(alert()), { 'x-api-key': '' }, 401],
    ];
    for (const [path, body, headers, status] of cases) {
      const res = await post(path, body, headers);
      expect([path, res.statusCode]).toEqual([path, status]);
      expect(res.headers['content-type']).toContain('text/plain');
    }
    const big = await post('/api/tickets.json', Buffer.alloc(26 * 1024 * 1024, 32));
    expect(big.statusCode).toBe(413);
    const session = await api.login('jane@deskline.local', PASSWORDS.agent);
    const viaCookie = await api.app.inject({
      method: 'POST',
      url: '/api/tickets.json',
      payload: JSON.stringify(alert()),
      headers: { cookie: session.cookie },
    });
    expect(viaCookie.statusCode).toBe(401);
    const readOnly = await api.withKey({ name: 'ro', scopes: ['tickets:read'] });
    expect(
      (await post('/api/tickets.json', JSON.stringify(alert()), { 'x-api-key': readOnly.key })).statusCode,
    ).toBe(401);
    expect(await countRows(api.desk.db)).toEqual(before);
  });

  it('a banned address gets 403', async () => {
    await post('/api/tickets.json', JSON.stringify(alert({ email: 'spammer@example.com' })));
    await api.desk.db
      .updateTable('customers')
      .set({ is_banned: 1 })
      .where('email', '=', 'spammer@example.com')
      .execute();
    const res = await post('/api/tickets.json', JSON.stringify(alert({ email: 'spammer@example.com' })));
    expect(res.statusCode).toBe(403);
  });

  it('Idempotency-Key: a retried alert makes one ticket; a changed body with the same key is refused', async () => {
    const body = JSON.stringify(alert({ subject: 'Retry me' }));
    const first = await post('/api/tickets.json', body, { 'idempotency-key': 'alert-42' });
    const again = await post('/api/tickets.json', body, { 'idempotency-key': 'alert-42' });
    expect(first.statusCode).toBe(201);
    expect([again.statusCode, again.body, again.headers['idempotent-replayed']]).toEqual([
      201,
      first.body,
      'true',
    ]);
    const other = await post('/api/tickets.json', JSON.stringify(alert({ subject: 'Different' })), {
      'idempotency-key': 'alert-42',
    });
    expect(other.statusCode).toBe(500);
    const racing = await Promise.all(
      Array.from({ length: 5 }, () =>
        post('/api/tickets.json', JSON.stringify(alert({ subject: 'Race' })), {
          'idempotency-key': 'race-1',
        }),
      ),
    );
    expect(new Set(racing.map((r) => `${r.statusCode} ${r.body}`)).size).toBe(1);
    const rows = await api.desk.db
      .selectFrom('tickets')
      .select('id')
      .where('subject', 'in', ['Retry me', 'Race'])
      .execute();
    expect(rows).toHaveLength(2);
  });

  it('Idempotency-Key on the native API replays the same ticket', async () => {
    const client = await api.withKey({ name: 'native' });
    const body = { subject: 'Native retry', body: 'x', requester: { email: 'n@example.com' } };
    const a = await client.post('/api/v1/tickets', body, { 'idempotency-key': 'n-1' });
    const b = await client.post('/api/v1/tickets', body, { 'idempotency-key': 'n-1' });
    expect([a.status, b.status, b.json.number, b.headers['idempotent-replayed']]).toEqual([
      201,
      201,
      a.json.number,
      'true',
    ]);
    const c = await client.post(
      '/api/v1/tickets',
      { ...body, subject: 'Other' },
      { 'idempotency-key': 'n-1' },
    );
    expect([c.status, c.json.error.code]).toEqual([422, 'idempotency_key_reused']);
    // Another caller's identical key is theirs alone.
    const d = await (
      await api.withKey({ name: 'other' })
    ).post('/api/v1/tickets', body, { 'idempotency-key': 'n-1' });
    expect(d.json.number).not.toBe(a.json.number);
  });
});
