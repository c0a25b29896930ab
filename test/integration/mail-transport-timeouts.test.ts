import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_TIMEOUTS, smtpTransport } from '../../src/modules/mail/mail.transport.ts';
import { hungRelay } from '../support/faults.ts';

// Issue 17, item 13: with nodemailer's defaults a relay that accepts the
// connection and then says nothing held a mail job (and the shutdown waiting
// for it) for minutes. Now the attempt fails after the greeting timeout and
// the job retries with backoff.

describe('outbound SMTP to a relay that never answers', () => {
  let relay: Awaited<ReturnType<typeof hungRelay>>;
  beforeAll(async () => {
    relay = await hungRelay();
  });
  afterAll(() => relay?.close());

  it('fails the send after the greeting timeout instead of waiting for minutes', async () => {
    const transport = smtpTransport(relay.url);
    const started = Date.now();
    try {
      await expect(
        transport.send({
          from: { name: 'Support', address: 'support@deskline.local' },
          to: 'karen@example.com',
          replyTo: 'support@deskline.local',
          subject: 'Hello',
          text: 'Hi',
          messageId: '<hung-relay@deskline.local>',
          headers: {},
          attachments: [],
        }),
      ).rejects.toThrow(/greeting/i);
    } finally {
      transport.close();
    }
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(RELAY_TIMEOUTS.greetingTimeout - 500);
    expect(took).toBeLessThan(RELAY_TIMEOUTS.greetingTimeout + 3_000);
  });
});
