import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { entriesOf, ticketByNumber } from '../support/compat.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';
import { TicketOut, TicketPageOut } from '../../src/contract/tickets.contract.ts';

// POST /api/tickets.email never answers 201 without a ticket number (issue 17,
// item 14): a mail with no body is a ticket that says it was empty, an
// internationalized sender (RFC 6531) is a requester like any other, and a
// message that truly makes no ticket gets an error status.

const CRLF = '\r\n';
const mail = (headers: string[], body: string[] = []) =>
  Buffer.from([...headers, '', ...body, ''].join(CRLF));

describeEachDialect('tickets.email: every 201 names a ticket', (handle) => {
  let api: Harness;
  let key: string;
  let jane: Client;
  const post = (raw: Buffer) =>
    api.postRaw('/api/tickets.email', raw, 'message/rfc822', { 'x-api-key': key });
  /** Posts a message that must open or continue a ticket; returns the ticket. */
  const ticketFor = async (raw: Buffer) => {
    const res = await post(raw);
    expect([res.status, res.body]).toEqual([201, expect.stringMatching(/^\d+$/)]);
    return ticketByNumber(api.desk.db, res.body);
  };
  const firstMessage = async (raw: Buffer) => {
    const t = await ticketFor(raw);
    const [entry] = await entriesOf(api.desk.db, t.id);
    return [entry?.body, entry?.format];
  };

  beforeAll(async () => {
    api = await startHarness(handle().db);
    key = (await api.withKey({ name: 'automail' })).key;
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
  });
  afterAll(() => api.close());

  it('a mail with no body becomes a ticket whose message says it was empty', async () => {
    const from = 'From: Pat <pat@example.com>';
    const empty = ['(empty message)', 'text'];
    expect(await firstMessage(mail([from, 'Subject: No body']))).toEqual(empty);
    expect(await firstMessage(Buffer.from(`${from}${CRLF}Subject: Headers only${CRLF}`))).toEqual(empty);
    expect(await firstMessage(mail([from, 'Subject: Blank'], [' ', '\u200b\u00a0']))).toEqual(empty);
    // HTML that shows nothing once sanitized (a script, empty paragraphs) is no message either.
    const html = [from, 'Subject: Empty HTML', 'Content-Type: text/html; charset=utf-8'];
    expect(await firstMessage(mail(html, ['<p>&nbsp;</p><script>alert(1)</script>']))).toEqual(empty);
    // An image is something to see.
    expect(await firstMessage(mail(html, ['<p><img src="https://example.com/a.png"></p>']))).toEqual([
      '<p><img src="https://example.com/a.png" /></p>',
      'html',
    ]);
  });

  it('an internationalized sender is a requester, stored as written and matched across spellings', async () => {
    const first = await ticketFor(
      mail(['From: =?utf-8?q?J=C3=B6rg_Doe?= <jdöe@mächine.example>', 'Subject: Drucker kaputt'], ['Hilfe']),
    );
    const customer = await api.desk.db
      .selectFrom('customers')
      .select(['id', 'email', 'name'])
      .where('id', '=', first.requester_id)
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({ email: 'jdöe@mächine.example', name: 'Jörg Doe' });

    // The same mailbox with its domain in ASCII (IDNA) and another case: the same customer, the same thread.
    const reply = await ticketFor(
      mail(
        ['From: JDöe@XN--MCHINE-BUA.EXAMPLE', `Subject: Re: [#${first.number}] Drucker kaputt`],
        ['Geht wieder nicht'],
      ),
    );
    expect(reply.number).toBe(first.number);
    const other = await ticketFor(mail(['From: jdöe@xn--mchine-bua.example', 'Subject: Neu'], ['Noch was']));
    expect(other.requester_id).toBe(customer.id);

    // Through the API too, and the requester filter finds them all whichever spelling it is given.
    const viaApi = await jane.post('/api/v1/tickets', {
      subject: 'Called in',
      body: 'Printer again',
      source: 'phone',
      requester: { email: 'JDÖE@MÄCHINE.EXAMPLE' },
    });
    expect([viaApi.status, viaApi.as(TicketOut).requester.email]).toEqual([201, 'jdöe@mächine.example']);
    const listed = await jane.get(
      `/api/v1/tickets?requester=${encodeURIComponent('jdöe@xn--mchine-bua.example')}`,
    );
    expect(
      listed
        .as(TicketPageOut)
        .items.map((t) => t.number)
        .sort(),
    ).toEqual([first.number, other.number, viaApi.as(TicketOut).number].sort());
  });

  it('garbage is still no address', async () => {
    for (const email of [
      'jdöe@mächine',
      'jd\u200böe@mächine.example',
      'a..b@example.com',
      '"x"@example.com',
    ]) {
      const res = await jane.post('/api/v1/tickets', { subject: 'S', body: 'B', requester: { email } });
      expect([email, res.status, res.error().code]).toEqual([email, 422, 'validation_failed']);
    }
  });

  it('a message that makes no ticket answers an error status, never 201 without a number', async () => {
    const invalidSender = await post(mail(['From: <a..b@example.com>', 'Subject: Hi'], ['Hello']));
    expect([invalidSender.status, invalidSender.body]).toEqual([
      400,
      expect.stringMatching(
        /^The message made no ticket \(flagged: validation_failed\); it is kept as inbound message #\d+/,
      ),
    ]);
    // Our own address as the sender: a loop, refused.
    const loop = await post(mail(['From: support@deskline.local', 'Subject: Re: hello'], ['Auto']));
    expect([loop.status, loop.body]).toEqual([403, 'Message refused: it comes from this desk (own_address)']);
    // The same message again answers the first ticket's number.
    const once = mail(['From: pat@example.com', 'Message-ID: <once@example.com>', 'Subject: Once'], ['Hi']);
    const first = await post(once);
    expect([first.status, (await post(once)).body]).toEqual([201, first.body]);
  });
});
