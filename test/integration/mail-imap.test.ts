import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { pollMailbox } from '../../src/modules/mail/mail.imap-poller.ts';
import { seedDemoReference } from '../../src/seed/demo-reference.ts';
import { describeEachDialect } from '../support/db.ts';
import { startDovecot, type TestImap } from '../support/dovecot.ts';
import { loadDesk, seedDesk, type Desk } from '../support/factories.ts';

const message = (n: number, tag: string) =>
  [
    `From: Customer ${n} <customer${n}@example.com>`,
    'To: support@deskline.local',
    `Subject: IMAP request ${tag} ${n}`,
    `Message-ID: <imap-${tag}-${n}@example.com>`,
    'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    '',
    `Request number ${n} that arrived in the mailbox.`,
    '',
  ].join('\r\n');

async function addMailbox(
  db: Db,
  imap: TestImap,
  afterImport: 'flag' | 'move' = 'flag',
  password = imap.password,
) {
  const dept = await db
    .selectFrom('departments')
    .select('id')
    .where('name', '=', 'Billing')
    .executeTakeFirstOrThrow();
  return db
    .insertInto('mailboxes')
    .values({
      address: `imap-${Math.random().toString(36).slice(2, 8)}@deskline.local`,
      name: 'Polled mailbox',
      department_id: dept.id,
      imap_host: imap.host,
      imap_port: imap.port,
      imap_tls: 0,
      imap_user: imap.user,
      imap_secret: password,
      after_import: afterImport,
      archive_folder: 'Archive',
      created_at: 0,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function seenFlags(imap: TestImap): Promise<boolean[]> {
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: false,
    auth: { user: imap.user, pass: imap.password },
    logger: false,
  });
  await client.connect();
  const lock = await client.getMailboxLock('INBOX');
  const flags: boolean[] = [];
  try {
    for await (const m of client.fetch('1:*', { flags: true })) flags.push(m.flags?.has('\\Seen') ?? false);
  } finally {
    lock.release();
    await client.logout();
  }
  return flags;
}

describeEachDialect('IMAP polling', (handle) => {
  let imap: TestImap;
  let desk: Desk;
  beforeAll(async () => {
    imap = await startDovecot();
    await seedDesk(handle().db);
    desk = await loadDesk(handle().db);
  });
  afterAll(async () => imap?.stop());

  it('imports new messages once, in the mailbox department, and flags them as seen', async () => {
    for (let n = 1; n <= 3; n++) await imap.append(message(n, 'flag'));
    let box = await addMailbox(desk.db, imap);
    const first = await pollMailbox(desk.deps, box);
    expect(first).toEqual({ mailbox: box.address, imported: 3 });
    const tickets = await desk.db
      .selectFrom('tickets')
      .innerJoin('departments', 'departments.id', 'tickets.department_id')
      .select(['tickets.subject', 'departments.name'])
      .where('subject', 'like', 'IMAP request flag%')
      .orderBy('tickets.id')
      .execute();
    expect(tickets.map((t) => [t.subject, t.name])).toEqual([
      ['IMAP request flag 1', 'Billing'],
      ['IMAP request flag 2', 'Billing'],
      ['IMAP request flag 3', 'Billing'],
    ]);
    expect(await seenFlags(imap)).toEqual([true, true, true]);
    box = await desk.db
      .selectFrom('mailboxes')
      .selectAll()
      .where('id', '=', box.id)
      .executeTakeFirstOrThrow();
    expect(box.last_uid).toBe(3);
    expect((await pollMailbox(desk.deps, box)).imported).toBe(0);
    await imap.append(message(4, 'flag'));
    expect((await pollMailbox(desk.deps, box)).imported).toBe(1);
  });

  it('a new UIDVALIDITY re-reads the folder without opening any ticket twice', async () => {
    const box = await desk.db
      .selectFrom('mailboxes')
      .selectAll()
      .where('name', '=', 'Polled mailbox')
      .executeTakeFirstOrThrow();
    const before = (await desk.db.selectFrom('tickets').select('id').execute()).length;
    // A rebuilt folder: the server's UIDs no longer match what was stored (new UIDVALIDITY, new keys).
    await desk.db
      .updateTable('inbound_messages')
      .set({ imap_key: null })
      .where('channel', '=', 'imap')
      .execute();
    const reset = { ...box, uid_validity: 1 };
    expect((await pollMailbox(desk.deps, reset)).imported).toBe(4);
    expect((await desk.db.selectFrom('tickets').select('id').execute()).length).toBe(before);
    const statuses = await desk.db
      .selectFrom('inbound_messages')
      .select('status')
      .where('message_id', 'like', '<imap-flag-%')
      .execute();
    expect(statuses.filter((s) => s.status === 'duplicate')).toHaveLength(4);
  });

  it('moves imported mail to the archive folder when the mailbox says so', async () => {
    const second = await startDovecot();
    try {
      for (let n = 1; n <= 2; n++) await second.append(message(n, 'move'));
      const box = await addMailbox(desk.db, second, 'move');
      expect((await pollMailbox(desk.deps, box)).imported).toBe(2);
      expect([await second.count('INBOX'), await second.count('Archive')]).toEqual([0, 2]);
    } finally {
      await second.stop();
    }
  });

  it('a wrong password is recorded on the mailbox for the admin; nothing is imported', async () => {
    const box = await addMailbox(desk.db, imap, 'flag', 'wrong-password');
    const r = await pollMailbox(desk.deps, box);
    expect(r.imported).toBe(0);
    expect(r.error).toBe('Command failed');
    const row = await desk.db
      .selectFrom('mailboxes')
      .select('last_error')
      .where('id', '=', box.id)
      .executeTakeFirstOrThrow();
    expect(row.last_error).toBe(r.error);
  });
});

describe('IMAP polling survives a crash', () => {
  const TOTAL = 120;
  let imap: TestImap;
  let dir: string;
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    imap = await startDovecot();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-imap-crash-'));
    const handle = openDatabase(`sqlite:${path.join(dir, 'desk.db')}`);
    db = handle.db;
    close = handle.close;
    await migrateToLatest(db);
    await seedDemoReference(db, 0);
    for (let n = 1; n <= TOTAL; n++) await imap.append(message(n, 'crash'));
    await addMailbox(db, imap);
  });
  afterAll(async () => {
    await close?.();
    await imap?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('killing the poller mid-import neither loses nor duplicates a message', async () => {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const env = { ...inherited, DATABASE_URL: `sqlite:${path.join(dir, 'desk.db')}`, DESKLINE_DATA_DIR: dir };
    const bin = path.resolve('bin/deskline.js');
    const child = spawn(process.execPath, [bin, 'mail', 'poll'], { env, stdio: 'ignore' });
    const count = async () => (await db.selectFrom('inbound_messages').select('id').execute()).length;
    // SIGKILL (no chance to clean up) once some, but not all, messages are in.
    const started = Date.now();
    while ((await count()) < 10 && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const atCrash = await count();
    expect(atCrash).toBeGreaterThanOrEqual(10);
    expect(atCrash).toBeLessThan(TOTAL);

    const again = spawnSync(process.execPath, [bin, 'mail', 'poll'], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`${TOTAL - atCrash} imported`);
    const rows = await db.selectFrom('inbound_messages').select(['message_id', 'status']).execute();
    expect(rows).toHaveLength(TOTAL);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(TOTAL);
    expect(rows.every((r) => r.status === 'ticket')).toBe(true);
    expect((await db.selectFrom('tickets').select('id').execute()).length).toBe(TOTAL);
  });
});
