import { afterAll, beforeAll, expect, it } from 'vitest';
import { putSetting, getSetting } from '../../src/modules/settings/settings.service.ts';
import { startSmtpListener, type SmtpListener } from '../../src/modules/mail/mail.smtp-listener.ts';
import { smtpTransport, type MailTransport } from '../../src/modules/mail/mail.transport.ts';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Harness } from '../support/http.ts';
import { header, smtpClient, startCaptureSmtp, type CaptureServer } from '../support/mail.ts';

// The whole conversation over real sockets: a customer's mail reaches the
// SMTP listener, the acknowledgement and the agent's reply leave through a
// real SMTP relay (captured here), and the customer's mail client answers them.

describeEachDialect('email conversation', (handle) => {
  let api: Harness;
  let relay: CaptureServer;
  let transport: MailTransport;
  let listener: SmtpListener;
  let client: ReturnType<typeof smtpClient>;
  let number: string;

  const ticket = () =>
    api.desk.db
      .selectFrom('tickets')
      .select(['id', 'state', 'number'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
  const lastInbound = () =>
    api.desk.db.selectFrom('inbound_messages').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();

  beforeAll(async () => {
    relay = await startCaptureSmtp();
    transport = smtpTransport(relay.url);
    api = await startHarness(handle().db, { transport });
    // A small limit keeps the oversized-message test quick; the listener reads it when it starts.
    const mail = await getSetting(api.desk.db, 'mail');
    await putSetting(api.desk.db, 'mail', { ...mail, maxMessageBytes: 256 * 1024 }, 0);
    api.desk.deps.reference?.invalidate();
    listener = await startSmtpListener(api.desk.deps, { port: 0, host: '127.0.0.1' });
    client = smtpClient(listener.port);
  });
  afterAll(async () => {
    client.close();
    transport.close();
    await listener.close();
    await relay.close();
    await api.close();
  });

  it('a customer mails the desk: 250 only once the ticket is committed', async () => {
    const info = await client.send({
      from: 'Karen Smith <karen@example.com>',
      to: 'support@deskline.local',
      cc: 'Lena Park <lena@example.org>',
      subject: 'Mobile online banking is down',
      text: 'The app says "Service unavailable" after the PIN.',
      messageId: '<karen-1@mail.example.com>',
    });
    expect(info.response).toMatch(/^250 .*Accepted as inbound #\d+ \(ticket \d+\)/);
    // The answer came after the commit: the row and the ticket are already there.
    const row = await lastInbound();
    expect(row).toMatchObject({
      channel: 'smtp',
      status: 'ticket',
      message_id: '<karen-1@mail.example.com>',
    });
    number = info.response.match(/ticket (\d+)/)![1]!;
    expect((await ticket()).state).toBe('open');
  });

  it('the acknowledgement leaves through SMTP with the number, our Message-ID and loop-safe headers', async () => {
    await api.runJobs();
    const [ack] = (await relay.waitFor(1)).filter((c) => c.to.includes('karen@example.com'));
    expect(ack?.to).toEqual(['karen@example.com']);
    const m = ack!.mail;
    expect(m.subject).toBe(`[#${number}] Mobile online banking is down`);
    expect(m.from?.value[0]?.address).toBe('support@deskline.local');
    expect(m.replyTo?.value[0]?.address).toBe('support@deskline.local');
    expect(header(m, 'auto-submitted')).toBe('auto-replied');
    expect(m.inReplyTo).toBe('<karen-1@mail.example.com>');
    const logged = await api.desk.db
      .selectFrom('mail_log')
      .select(['message_id', 'status', 'sent_at'])
      .where('to_address', '=', 'karen@example.com')
      .where('kind', '=', 'auto')
      .executeTakeFirstOrThrow();
    expect(m.messageId).toBe(logged.message_id);
    expect(logged.status).toBe('sent');
    // Lena, in Cc on the first message, follows the ticket.
    const collaborators = await api.desk.db
      .selectFrom('ticket_collaborators')
      .innerJoin('customers', 'customers.id', 'ticket_collaborators.customer_id')
      .select('customers.email')
      .where('ticket_id', '=', (await ticket()).id)
      .execute();
    expect(collaborators.map((c) => c.email)).toEqual(['lena@example.org']);
  });

  let replyMessageId: string;
  it('the agent resolves it with a reply (API): mailed in the same thread, with the attachment', async () => {
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const before = relay.received.length;
    const res = await jane.post(`/api/v1/tickets/${number}/replies`, {
      body: 'The failed load balancer was replaced; please try again.',
      setState: 'resolved',
      attachments: [
        {
          filename: 'status.txt',
          contentType: 'text/plain',
          data: Buffer.from('all green').toString('base64'),
        },
      ],
    });
    expect(res.status).toBe(201);
    await api.runJobs();
    const sent = (await relay.waitFor(before + 1))
      .slice(before)
      .filter((c) => c.to.includes('karen@example.com'));
    const reply = sent.find((c) => c.mail.text?.includes('load balancer'))!;
    expect(reply.mail.subject).toContain(`[#${number}]`);
    expect(reply.mail.inReplyTo).toBe('<karen-1@mail.example.com>');
    expect(reply.mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ['status.txt', 'all green'],
    ]);
    expect(header(reply.mail, 'auto-submitted')).toBeUndefined();
    replyMessageId = reply.mail.messageId!;
    expect((await ticket()).state).toBe('resolved');
  });

  it("the customer's mail client answers the reply: same ticket, reopened, quoted text cut", async () => {
    const info = await client.send({
      from: 'Karen Smith <karen@example.com>',
      to: 'support@deskline.local',
      subject: `Re: [#${number}] Mobile online banking is down`,
      inReplyTo: replyMessageId,
      references: ['<karen-1@mail.example.com>', replyMessageId],
      messageId: '<karen-2@mail.example.com>',
      text: `It fails again on iOS.\n\nOn Mon, 23 Nov 2026 at 10:05, Deskline Support <support@deskline.local> wrote:\n> The failed load balancer was replaced; please try again.\n`,
    });
    expect(info.response).toContain(`(ticket ${number})`);
    const t = await ticket();
    expect(t.state).toBe('open');
    const entry = await api.desk.db
      .selectFrom('thread_entries')
      .select(['body', 'kind', 'source'])
      .where('message_id', '=', '<karen-2@mail.example.com>')
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({ body: 'It fails again on iOS.', kind: 'message', source: 'email' });
  });

  it('an out-of-office answer is noted on the ticket and answered by nobody', async () => {
    await api.runJobs();
    const before = relay.received.length;
    await client.send({
      from: 'karen@example.com',
      to: 'support@deskline.local',
      subject: `Automatic reply: [#${number}] Mobile online banking is down`,
      inReplyTo: replyMessageId,
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'I am out of the office until Monday.',
    });
    expect(await lastInbound()).toMatchObject({ status: 'auto_reply', ticket_id: (await ticket()).id });
    expect(await api.runJobs()).toBe(0);
    expect(relay.received.length).toBe(before);
  });

  it('a bounce of our reply is recorded on the ticket, never a new ticket', async () => {
    const tickets = (await api.desk.db.selectFrom('tickets').select('id').execute()).length;
    const boundary = 'dsn-1';
    await client.send({
      envelope: { from: '', to: ['support@deskline.local'] },
      raw: [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
        'To: support@deskline.local',
        'Subject: Undelivered Mail Returned to Sender',
        `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
        'MIME-Version: 1.0',
        '',
        `--${boundary}`,
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        `--${boundary}`,
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.com',
        '',
        'Final-Recipient: rfc822; karen@example.com',
        'Action: failed',
        'Status: 5.2.2',
        'Diagnostic-Code: smtp; 552 mailbox full',
        `--${boundary}`,
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${replyMessageId}`,
        `Subject: Re: [#${number}] Mobile online banking is down`,
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    });
    expect(await lastInbound()).toMatchObject({ status: 'bounce', ticket_id: (await ticket()).id });
    expect((await api.desk.db.selectFrom('tickets').select('id').execute()).length).toBe(tickets);
    const bounced = await api.desk.db
      .selectFrom('mail_log')
      .select('status')
      .where('message_id', '=', replyMessageId)
      .executeTakeFirstOrThrow();
    expect(bounced.status).toBe('bounced');
  });

  it('refuses unknown recipients (550), banned senders (550) and oversized messages (552)', async () => {
    await expect(
      client.send({ from: 'a@example.com', to: 'nobody@deskline.local', subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const mail = await getSetting(api.desk.db, 'mail');
    await putSetting(api.desk.db, 'mail', { ...mail, banned: ['spam.example'] }, 0);
    api.desk.deps.reference?.invalidate();
    await expect(
      client.send({ from: 'x@spam.example', to: 'support@deskline.local', subject: 'Buy', text: 'now' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    expect(await lastInbound()).toMatchObject({ status: 'rejected', reason: 'banned' });
    await expect(
      client.send({
        from: 'big@example.com',
        to: 'support@deskline.local',
        subject: 'Huge',
        text: 'x'.repeat(mail.maxMessageBytes + 1024),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
  });

  it('a mail is sent once per recipient even when its job runs again, and a failed send is retried', async () => {
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    let failNext = true;
    const flaky: MailTransport = {
      send: async (m) => {
        if (failNext) {
          failNext = false;
          throw new Error('421 relay busy');
        }
        await transport.send(m);
      },
      close: () => undefined,
    };
    const h2 = await startHarness(handle().db, { seed: false, transport: flaky });
    try {
      await jane.post(`/api/v1/tickets/${number}/replies`, { body: 'Second answer.' });
      const before = relay.received.length;
      await h2.runJobs(); // the send fails: the job is rescheduled with backoff
      const row = await api.desk.db
        .selectFrom('mail_log')
        .select(['id', 'status', 'error', 'job_id'])
        .where('body', 'like', '%Second answer.%')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('pending');
      expect(row.error).toContain('relay busy');
      await api.desk.db.updateTable('jobs').set({ run_at: 0 }).where('id', '=', row.job_id!).execute();
      await h2.runJobs();
      await relay.waitFor(before + 1);
      // Run the finished job's handler once more, as a worker that died before acknowledging would.
      await api.desk.db
        .updateTable('jobs')
        .set({ status: 'pending', run_at: 0 })
        .where('id', '=', row.job_id!)
        .execute();
      await h2.runJobs();
      await new Promise((r) => setTimeout(r, 200));
      const copies = relay.received.slice(before).filter((c) => c.mail.text?.includes('Second answer.'));
      expect(copies).toHaveLength(1);
    } finally {
      await h2.close();
    }
  });
});
