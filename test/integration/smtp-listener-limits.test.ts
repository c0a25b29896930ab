import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { SMTP_LIMITS } from '../../src/modules/mail/mail.smtp-guard.ts';
import { describeEachDialect } from '../support/db.ts';
import { seedDesk } from '../support/factories.ts';
import { databaseUrlOf, RawSmtp, waitForPort, waitUntil } from '../support/faults.ts';
import { freePort, serve } from '../support/server.ts';

// Issue 17, item 12, on a real `deskline serve` and real sockets: one client
// address must not be able to shut the SMTP listener for everyone else, and
// a connection that sends no mail (idle, or only NOOP) is closed quickly.

describeEachDialect('SMTP listener under a connection flood', (handle) => {
  let server: Awaited<ReturnType<typeof serve>>;
  let port = 0;

  beforeAll(async () => {
    await seedDesk(handle().db);
    port = await freePort();
    server = await serve(databaseUrlOf(handle()), { SMTP_LISTEN_PORT: String(port) });
    await waitForPort(port);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('300 idle connections from one address: another sender is still served and its mail becomes a ticket', async () => {
    const flood: RawSmtp[] = [];
    for (let i = 0; i < 300; i++) flood.push(await RawSmtp.open(port, '127.0.0.1'));
    // Every one of them has its first answer: the greeting, or 421 and the door.
    const first = await Promise.all(flood.map((c) => c.line(/^\d{3}[ -]/)));
    onTestFinished(() => flood.forEach((c) => c.destroy()));

    const other = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      localAddress: '127.0.0.2',
      secure: false,
      ignoreTLS: true,
    });
    try {
      const info = await other.sendMail({
        from: 'Ruth Ng <ruth@customer.example>',
        to: 'support@deskline.local',
        subject: 'Printer on floor 3 is jammed',
        text: 'It blinks orange.',
      });
      const number = /ticket (\d+)/.exec(info.response)?.[1];
      expect(info.response).toMatch(/^250 /);
      const ticket = await handle()
        .db.selectFrom('tickets')
        .select(['number', 'subject'])
        .where('number', '=', number ?? '')
        .executeTakeFirst();
      expect(ticket).toEqual({ number, subject: 'Printer on floor 3 is jammed' });
    } finally {
      other.close();
    }

    const greeted = first.filter((l) => l.startsWith('220')).length;
    expect(greeted).toBe(SMTP_LIMITS.perAddress);
    expect(first.filter((l) => /^421 4\.7\.0 Too many connections from your address/.test(l))).toHaveLength(
      300 - greeted,
    );
  });

  it('an idle session and one that only sends NOOP are both closed after the quick deadline', async () => {
    const idle = await RawSmtp.open(port, '127.0.0.3');
    const noop = await RawSmtp.open(port, '127.0.0.4');
    const connectedAt = Date.now();
    onTestFinished(() => [idle, noop].forEach((c) => c.destroy()));
    await Promise.all([idle.line(/^220 /), noop.line(/^220 /)]);
    noop.send('EHLO probe.example');
    await noop.line(/^250 /);
    const keepAlive = setInterval(() => noop.send('NOOP'), 2_000);
    try {
      await Promise.all(
        [idle, noop].map((c) => c.line(/^421 4\.4\.2 No mail within/, SMTP_LIMITS.progressMs + 5_000)),
      );
    } finally {
      clearInterval(keepAlive);
    }
    const closedAfter = Date.now() - connectedAt;
    expect(closedAfter).toBeGreaterThanOrEqual(SMTP_LIMITS.progressMs - 1_000);
    expect(closedAfter).toBeLessThan(SMTP_LIMITS.progressMs + 3_000);
    // The NOOPs were answered meanwhile: NOOP keeps nothing alive.
    expect(noop.lines.filter((l) => l.startsWith('250 ')).length).toBeGreaterThan(4);
    await waitUntil(() => idle.closedAt !== undefined && noop.closedAt !== undefined, 2_000, 'both closed');
  }, 40_000);
});
