import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { entriesOf, filesOf, osTicketAlert, ticketByNumber } from '../support/compat.ts';
import { idByName, jobTypesFor } from '../support/factories.ts';
import { startHarness, type Harness } from '../support/http.ts';

// tickets.json as osTicket's own clients and the integrations built on them send it.

describeEachDialect('osTicket tickets.json', (handle) => {
  let api: Harness;
  let key: string;
  const post = (body: unknown, contentType?: string, headers: Record<string, string> = {}) =>
    api.postRaw('/api/tickets.json', JSON.stringify(body), contentType, { 'x-api-key': key, ...headers });
  const created = async (body: unknown, contentType?: string) => {
    const res = await post(body, contentType);
    expect([res.status, res.body]).toEqual([201, expect.stringMatching(/^\d+$/)]);
    return ticketByNumber(api.desk.db, res.body);
  };
  const mailTo = (ticketId: number, address: string) =>
    api.desk.db
      .selectFrom('mail_log')
      .select('subject')
      .where('ticket_id', '=', ticketId)
      .where('to_address', '=', address)
      .execute();

  beforeAll(async () => {
    api = await startHarness(handle().db);
    key = (await api.withKey({ name: 'monitoring' })).key;
  });
  afterAll(() => api.close());

  it('answers 201 with the bare ticket number as plain text, which parses as an integer', async () => {
    const res = await post(osTicketAlert(), 'application/x-www-form-urlencoded', { expect: '' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toMatch(/^[0-9]+$/);
    expect(String(Number.parseInt(res.body, 10))).toBe(res.body);
    const t = await ticketByNumber(api.desk.db, res.body);
    expect([t.subject, t.source, t.state]).toEqual(['CRITICAL: disk /var on db-3 at 97%', 'api', 'open']);
    const [message] = await entriesOf(api.desk.db, t.id);
    expect([message?.kind, message?.body, message?.format]).toEqual(['message', 'Disk almost full', 'text']);
    const requester = await api.desk.db
      .selectFrom('customers')
      .select(['email', 'name'])
      .where('id', '=', t.requester_id)
      .executeTakeFirstOrThrow();
    expect(requester).toEqual({ email: 'nagios@monitoring.example', name: 'Nagios' });
  });

  it('reads the JSON body under any Content-Type: PHP curl (form), Perl (text/plain), none, JSON', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', undefined, 'application/json']) {
      const t = await created(osTicketAlert({ subject: `Sent as ${type ?? 'nothing'}` }), type);
      expect(t.subject).toBe(`Sent as ${type ?? 'nothing'}`);
    }
  });

  it('accepts the key as Bearer too', async () => {
    const res = await api.postRaw('/api/tickets.json', JSON.stringify(osTicketAlert()), 'text/plain', {
      authorization: `Bearer ${key}`,
    });
    expect(res.status).toBe(201);
  });

  it("applies the help topic's defaults: department, priority and SLA plan", async () => {
    const billing = await idByName(api.desk.db, 'help_topics', 'Billing Question');
    const t = await created(osTicketAlert({ topicId: billing }));
    expect(t.help_topic_id).toBe(billing);
    expect(t.department_id).toBe(await idByName(api.desk.db, 'departments', 'Billing'));
    expect(t.priority_id).toBe(await idByName(api.desk.db, 'priorities', 'Normal'));
    const outage = await idByName(api.desk.db, 'help_topics', 'Business Critical Outage');
    const o = await created(osTicketAlert({ topicId: String(outage) }));
    expect(o.priority_id).toBe(await idByName(api.desk.db, 'priorities', 'Emergency'));
    expect(o.sla_plan_id).toBe(await idByName(api.desk.db, 'sla_plans', 'Critical Outage'));
  });

  it('takes the priority by name or id, and the older priorityId', async () => {
    const high = await idByName(api.desk.db, 'priorities', 'High');
    const low = await idByName(api.desk.db, 'priorities', 'Low');
    expect((await created(osTicketAlert({ priority: 'High' }))).priority_id).toBe(high);
    expect((await created(osTicketAlert({ priority: low }))).priority_id).toBe(low);
    expect((await created(osTicketAlert({ priority: String(low) }))).priority_id).toBe(low);
    expect((await created(osTicketAlert({ priorityId: high }))).priority_id).toBe(high);
  });

  it('maps source case-insensitively, phone, duedate; ignores ip and custom fields', async () => {
    const t = await created(
      osTicketAlert({
        email: 'caller@example.org',
        source: 'pHoNe',
        phone: '318-555-8634',
        duedate: '2025-01-10T12:00:00Z',
        ip: '203.0.113.9',
        cf_server_room: 'B2',
        os_version: { nested: true },
      }),
    );
    expect([t.source, t.due_at]).toEqual(['phone', Date.parse('2025-01-10T12:00:00Z')]);
    const phone = await api.desk.db
      .selectFrom('customers')
      .select('phone')
      .where('email', '=', 'caller@example.org')
      .executeTakeFirstOrThrow();
    expect(phone.phone).toBe('318-555-8634');
    expect((await created(osTicketAlert({ source: 'EMAIL' }))).source).toBe('email');
    expect((await created(osTicketAlert({ source: 'Fax' }))).source).toBe('api');
  });

  it('turns notes into an internal note the customer never sees', async () => {
    const t = await created(osTicketAlert({ notes: 'Called in from the NOC' }));
    const entries = await entriesOf(api.desk.db, t.id);
    expect(entries.map((e) => [e.kind, e.body])).toEqual([
      ['message', 'Disk almost full'],
      ['note', 'Called in from the NOC'],
    ]);
  });

  it('autorespond=false queues no acknowledgement; alert=false no new-ticket alert', async () => {
    const both = await created(osTicketAlert({ email: 'both@example.org' }));
    expect((await jobTypesFor(api.desk.db, both.id)).sort()).toEqual([
      'mail.acknowledgement',
      'notify.new_ticket',
    ]);
    const quiet = await created(osTicketAlert({ email: 'quiet@example.org', autorespond: false }));
    expect(await jobTypesFor(api.desk.db, quiet.id)).toEqual(['notify.new_ticket']);
    const unalerted = await created(osTicketAlert({ email: 'unalerted@example.org', alert: 'false' }));
    expect(await jobTypesFor(api.desk.db, unalerted.id)).toEqual(['mail.acknowledgement']);
    const none = await created(osTicketAlert({ email: 'none@example.org', alert: 0, autorespond: '0' }));
    expect(await jobTypesFor(api.desk.db, none.id)).toEqual([]);
    await api.runJobs();
    expect(await mailTo(both.id, 'both@example.org')).toHaveLength(1);
    expect(await mailTo(quiet.id, 'quiet@example.org')).toEqual([]);
    expect(await mailTo(unalerted.id, 'jane@deskline.local')).toEqual([]);
    expect(await mailTo(both.id, 'jane@deskline.local')).toHaveLength(1);
  });

  it('a data-URL HTML message is stored as sanitized HTML', async () => {
    const html = '<p>Hello <b>team</b> <a href="javascript:alert(1)">x</a></p><script>alert(1)</script>';
    const t = await created(
      osTicketAlert({ message: `data:text/html;charset=utf-8,${encodeURIComponent(html)}` }),
    );
    const [entry] = await entriesOf(api.desk.db, t.id);
    expect(entry?.format).toBe('html');
    expect(entry?.body).toContain('<b>team</b>');
    expect(entry?.body).not.toMatch(/script|javascript/);
    const plain = await created(osTicketAlert({ message: 'data:text/plain;charset=utf-8,100%25 full' }));
    const [p] = await entriesOf(api.desk.db, plain.id);
    expect([p?.format, p?.body]).toEqual(['text', '100% full']);
  });

  it('stores data-URL attachments under their base names, content-addressed on disk', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const t = await created(
      osTicketAlert({
        attachments: [
          { 'log.txt': 'data:text/plain;charset=utf-8,disk%20full' },
          {
            '../../etc/passwd': `data:application/octet-stream;base64,${Buffer.from('root:x').toString('base64')}`,
          },
          { 'C:\\Users\\ops\\shot.png': `data:image/png;base64,${png.toString('base64')}` },
        ],
      }),
    );
    const files = await filesOf(api.desk.db, t.id);
    const [message] = await entriesOf(api.desk.db, t.id);
    expect(files.map((f) => [f.entry_id, f.filename, f.content_type, f.size])).toEqual([
      [message!.id, 'log.txt', 'text/plain', 9],
      [message!.id, 'passwd', 'application/octet-stream', 6],
      [message!.id, 'shot.png', 'image/png', png.length],
    ]);
    const sha = files[2]!.sha256;
    const onDisk = path.join(api.desk.deps.files!.dir, 'attachments', sha.slice(0, 2), sha.slice(2, 4), sha);
    expect(fs.readFileSync(onDisk).equals(png)).toBe(true);
  });
});
