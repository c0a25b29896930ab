import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type TestImap } from '../support/dovecot.ts';

const first = [
  'From: Ada <ada@example.com>',
  'To: support@deskline.test',
  'Subject: Printer on fire',
  'Message-ID: <first@example.com>',
  'Date: Mon, 1 Jan 2024 10:00:00 +0000',
  '',
  'It is on fire again.',
  '',
].join('\r\n');

const second = [
  'From: Bob <bob@example.com>',
  'To: support@deskline.test',
  'Subject: Re: Printer on fire',
  'Message-ID: <second@example.com>',
  'In-Reply-To: <first@example.com>',
  'Date: Mon, 1 Jan 2024 10:05:00 +0000',
  '',
  'Still burning.',
  '',
].join('\r\n');

function client(imap: TestImap, password = imap.password): ImapFlow {
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: false,
    auth: { user: imap.user, pass: password },
    logger: false,
  });
}

describe('dovecot test harness', () => {
  let imap: TestImap;
  beforeAll(async () => {
    const started = await startDovecot();
    if (!started) throw new Error('dovecot is installed but did not start');
    imap = started;
  });
  afterAll(async () => {
    await imap?.stop();
  });

  it('stores appended messages and serves them back over IMAP', async () => {
    const uids = [await imap.append(first), await imap.append(Buffer.from(second))];
    expect(uids).toEqual([1, 2]);
    expect(await imap.count()).toBe(2);

    const reader = client(imap);
    await reader.connect();
    try {
      const lock = await reader.getMailboxLock('INBOX');
      try {
        const messages = await reader.fetchAll('1:*', { uid: true, source: true });
        expect(messages.map((m) => m.uid)).toEqual(uids);
        expect(messages.map((m) => m.source?.toString())).toEqual([first, second]);
      } finally {
        lock.release();
      }
    } finally {
      await reader.logout();
    }
  });

  it('has an empty Archive folder to move mail into', async () => {
    expect(await imap.count('Archive')).toBe(0);
    expect(await imap.append(first, 'Archive')).toBe(1);
    expect(await imap.count('Archive')).toBe(1);
  });

  it('refuses a wrong password', async () => {
    const intruder = client(imap, `${imap.password}-wrong`);
    intruder.on('error', () => undefined);
    await expect(intruder.connect()).rejects.toMatchObject({ authenticationFailed: true });
    intruder.close();
  });
});
