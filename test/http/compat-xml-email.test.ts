import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { entriesOf, filesOf, ticketByNumber } from '../support/compat.ts';
import { jobTypesFor } from '../support/factories.ts';
import { startHarness, type Harness } from '../support/http.ts';

// tickets.xml as osTicket documents it, and tickets.email as its automail scripts pipe mail in.

const gif = Buffer.from(
  '47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b',
  'hex',
);

const xmlTicket = (attrs: string, message: string, files = '') => `<?xml version="1.0" encoding="UTF-8"?>
<ticket ${attrs}>
  <name>Angry User</name>
  <email>angry@example.com</email>
  <subject>Testing API</subject>
  <phone>318-555-8634</phone>
  ${message}
  <attachments>${files}</attachments>
  <ip>123.211.233.122</ip>
  <custom_field>ignored</custom_field>
</ticket>`;

const CRLF = '\r\n';
const mail = (headers: string[], body: string[]) => Buffer.from([...headers, '', ...body, ''].join(CRLF));

describeEachDialect('osTicket tickets.xml and tickets.email', (handle) => {
  let api: Harness;
  let key: string;
  const post = (format: 'xml' | 'email', payload: string | Buffer, contentType?: string) =>
    api.postRaw(`/api/tickets.${format}`, payload, contentType, { 'x-api-key': key });
  const created = async (format: 'xml' | 'email', payload: string | Buffer, contentType?: string) => {
    const res = await post(format, payload, contentType);
    expect([res.status, res.body]).toEqual([201, expect.stringMatching(/^\d+$/)]);
    return ticketByNumber(api.desk.db, res.body);
  };

  beforeAll(async () => {
    api = await startHarness(handle().db);
    key = (await api.withKey({ name: 'mail gateway' })).key;
  });
  afterAll(() => api.close());

  it('XML: attributes, fields, a plain file and a base64 file', async () => {
    const doc = xmlTicket(
      'alert="false" autorespond="true" source="Email"',
      '<message type="text/plain"><![CDATA[Message content here]]></message>',
      `<file name="file.txt" type="text/plain"><![CDATA[File content is here]]></file>
       <file name="image.gif" type="image/gif" encoding="base64">
         ${gif.toString('base64').replace(/(.{20})/g, '$1\n         ')}
       </file>`,
    );
    const t = await created('xml', doc, 'application/xml');
    expect([t.subject, t.source]).toEqual(['Testing API', 'email']);
    const [entry] = await entriesOf(api.desk.db, t.id);
    expect([entry?.body, entry?.format]).toEqual(['Message content here', 'text']);
    const files = await filesOf(api.desk.db, t.id);
    expect(files.map((f) => [f.filename, f.content_type, f.size])).toEqual([
      ['file.txt', 'text/plain', 20],
      ['image.gif', 'image/gif', gif.length],
    ]);
    expect(await jobTypesFor(api.desk.db, t.id)).toEqual(['mail.acknowledgement']);
    const phone = await api.desk.db
      .selectFrom('customers')
      .select('phone')
      .where('id', '=', t.requester_id)
      .executeTakeFirstOrThrow();
    expect(phone.phone).toBe('318-555-8634');
  });

  it('XML: an HTML message is sanitized; the body is read under text/plain too', async () => {
    const doc = xmlTicket(
      'source="API"',
      '<message type="text/html"><![CDATA[<p>Hi <i>there</i></p><script>steal()</script>]]></message>',
    );
    const t = await created('xml', doc, 'text/plain');
    const [entry] = await entriesOf(api.desk.db, t.id);
    expect(entry?.format).toBe('html');
    expect(entry?.body).toBe('<p>Hi <i>there</i></p>');
  });

  it('email: the raw message under every content type the automail scripts use', async () => {
    const subject = `=?UTF-8?B?${Buffer.from('Drucker kaputt – Büro 3').toString('base64')}?=`;
    const types = [
      'text/plain',
      'message/rfc822',
      'application/octet-stream',
      'application/x-www-form-urlencoded',
      undefined,
    ];
    for (const [i, type] of types.entries()) {
      const raw = mail(
        [
          `From: "Pat Lee" <pat${i}@example.com>`,
          'To: support@deskline.local',
          `Subject: ${subject}`,
          `Message-ID: <m${i}@example.com>`,
          'Content-Type: text/plain; charset=utf-8',
        ],
        ['The printer is broken.'],
      );
      const t = await created('email', raw, type);
      expect([t.subject, t.source]).toEqual(['Drucker kaputt – Büro 3', 'email']);
      const [entry] = await entriesOf(api.desk.db, t.id);
      expect([entry?.body, entry?.format, entry?.message_id]).toEqual([
        'The printer is broken.',
        'text',
        `<m${i}@example.com>`,
      ]);
      const requester = await api.desk.db
        .selectFrom('customers')
        .select(['email', 'name'])
        .where('id', '=', t.requester_id)
        .executeTakeFirstOrThrow();
      expect(requester).toEqual({ email: `pat${i}@example.com`, name: 'Pat Lee' });
      expect((await jobTypesFor(api.desk.db, t.id)).sort()).toEqual([
        'mail.acknowledgement',
        'notify.new_ticket',
      ]);
    }
  });

  it('email: an HTML-only message is kept as sanitized HTML; attachments are stored', async () => {
    const raw = mail(
      [
        'From: html@example.com',
        'Subject: Screenshot',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b1"',
      ],
      [
        '--b1',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>See <b>attached</b></p><script>alert(1)</script><img src="https://evil.example/x" onerror="x()">',
        '--b1',
        'Content-Type: image/gif; name="error.gif"',
        'Content-Disposition: attachment; filename="error.gif"',
        'Content-Transfer-Encoding: base64',
        '',
        gif.toString('base64'),
        '--b1--',
      ],
    );
    const t = await created('email', raw, 'message/rfc822');
    const [entry] = await entriesOf(api.desk.db, t.id);
    expect(entry?.format).toBe('html');
    expect(entry?.body).toContain('<b>attached</b>');
    expect(entry?.body).not.toMatch(/script|onerror/);
    const files = await filesOf(api.desk.db, t.id);
    expect(files.map((f) => [f.entry_id, f.filename, f.content_type, f.size])).toEqual([
      [entry!.id, 'error.gif', 'image/gif', gif.length],
    ]);
  });

  it('email: a refused attachment is left out with an internal note, not the whole mail', async () => {
    const raw = mail(
      ['From: pat@example.com', 'Subject: Invoice', 'Content-Type: multipart/mixed; boundary="b2"'],
      [
        '--b2',
        'Content-Type: text/plain',
        '',
        'Please see the invoice.',
        '--b2',
        'Content-Type: application/octet-stream; name="invoice.pdf.exe"',
        'Content-Disposition: attachment; filename="invoice.pdf.exe"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('MZ not really').toString('base64'),
        '--b2',
        'Content-Type: text/plain; name="notes.txt"',
        'Content-Disposition: attachment; filename="notes.txt"',
        '',
        'fine',
        '--b2--',
      ],
    );
    const t = await created('email', raw, 'text/plain');
    const entries = await entriesOf(api.desk.db, t.id);
    expect(entries.map((e) => e.kind)).toEqual(['message', 'note']);
    expect(entries[1]?.body).toContain('invoice.pdf.exe');
    expect((await filesOf(api.desk.db, t.id)).map((f) => f.filename)).toEqual(['notes.txt']);
  });

  it('email: automated mail (auto-replies, bulk) gets no acknowledgement; mailer-daemon opens no ticket', async () => {
    const automated = [
      ['From: ooo@example.com', 'Auto-Submitted: auto-replied'],
      ['From: news@example.com', 'Precedence: bulk'],
      ['From: bot@example.com', 'X-Autoreply: yes'],
    ];
    for (const headers of automated) {
      const t = await created('email', mail([...headers, 'Subject: Away'], ['I am away.']), 'text/plain');
      expect(await jobTypesFor(api.desk.db, t.id)).toEqual(['notify.new_ticket']);
    }
    const human = await created(
      'email',
      mail(['From: human@example.com', 'Auto-Submitted: no', 'Subject: Hi'], ['Hello']),
      'text/plain',
    );
    expect(await jobTypesFor(api.desk.db, human.id)).toContain('mail.acknowledgement');
    // A delivery report is about mail we sent: recorded, never a ticket. It names no ticket of
    // ours, so the answer is an error (a 201 always carries a ticket number).
    const before = await api.desk.db.selectFrom('tickets').select('id').execute();
    const daemon = await api.postRaw(
      '/api/tickets.email',
      mail(['From: MAILER-DAEMON@mx.example.com', 'Subject: Undelivered Mail'], ['No such user.']),
      'text/plain',
      { 'x-api-key': key },
    );
    expect([daemon.status, daemon.body]).toEqual([400, expect.stringContaining('made no ticket (bounce')]);
    expect(await api.desk.db.selectFrom('tickets').select('id').execute()).toHaveLength(before.length);
    const kept = await api.desk.db
      .selectFrom('inbound_messages')
      .select(['status', 'reason'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ status: 'bounce', reason: 'unmatched' });
  });
});
