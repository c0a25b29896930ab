import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { mailHandlers } from '../../src/modules/mail/mail.jobs.ts';
import { runnable } from '../../src/modules/outbox/outbox.registry.ts';
import { ingestMail, type IngestResult } from '../../src/modules/mail/mail.ingest.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { jobTypesFor, loadDesk, seedDesk, type Desk } from '../support/factories.ts';

// Every message in test/fixtures/mail/ goes through the one ingestion service
// and must end as expected.json says (see its README for the placeholders).

interface Expected {
  file: string;
  outcome: string;
  acknowledged: boolean;
  threaded: 'references' | 'token' | null;
  subject: string | null;
  requester: { email: string; name: string | null } | null;
  bodyContains: string[];
  bodyExcludes: string[];
  attachments: { filename: string; contentType: string; inline: boolean }[];
  collaborators: string[];
  format: 'text' | 'html' | null;
  bounceRecipient: string | null;
}

const DIR = path.join(import.meta.dirname, '../fixtures/mail');
const corpus = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Expected[];

function fixture(file: string, number: string, messageId: string): Buffer {
  const text = fs
    .readFileSync(path.join(DIR, file))
    .toString('latin1')
    .replaceAll('{{NUMBER}}', number)
    .replaceAll('{{MESSAGE_ID}}', messageId);
  return Buffer.from(text, 'latin1');
}

async function runJobs(db: Db, desk: Desk) {
  const runner = new JobRunner({
    db,
    clock: desk.clock,
    handlers: runnable(mailHandlers({ db, clock: desk.clock, publicUrl: 'http://localhost:8080' })),
    log: desk.log,
  });
  while ((await runner.runOnce()) > 0);
}

describeEachDialect('mail corpus', (handle) => {
  let desk: Desk;
  let filesDir: string;
  let karen: { number: string; id: number };
  let ackId: string;
  const results = new Map<string, IngestResult>();

  beforeAll(async () => {
    await seedDesk(handle().db);
    desk = await loadDesk(handle().db);
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-mail-files-'));
    desk.deps.files = { dir: filesDir };
    // Karen's ticket first: the replies, the bounce and the out-of-office refer to it.
    const first = await ingestMail(desk.deps, fixture('outlook-new.eml', '', ''), { channel: 'pipe' });
    results.set('outlook-new.eml', first);
    const row = await desk.db
      .selectFrom('tickets')
      .select(['id', 'number'])
      .where('number', '=', first.ticket!)
      .executeTakeFirstOrThrow();
    karen = row;
    await runJobs(desk.db, desk);
    const ack = await desk.db
      .selectFrom('mail_log')
      .select('message_id')
      .where('ticket_id', '=', karen.id)
      .where('to_address', '=', 'karen@example.com')
      .executeTakeFirstOrThrow();
    ackId = ack.message_id;
    for (const e of corpus.slice(1)) {
      results.set(
        e.file,
        await ingestMail(desk.deps, fixture(e.file, karen.number, ackId), { channel: 'pipe' }),
      );
      desk.clock.advance(1000);
    }
  });
  afterAll(() => fs.rmSync(filesDir, { recursive: true, force: true }));

  for (const e of corpus) {
    it(`${e.file}: ${e.outcome}`, async () => {
      const r = results.get(e.file)!;
      expect(r.outcome).toBe(e.outcome);
      const db = desk.db;
      const inbound = await db
        .selectFrom('inbound_messages')
        .selectAll()
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      // Whatever became of it, the message is kept byte for byte.
      expect(Buffer.compare(Buffer.from(inbound.raw), fixture(e.file, karen.number, ackId))).toBe(0);

      if (e.outcome === 'ticket') {
        const t = await db
          .selectFrom('tickets')
          .innerJoin('customers', 'customers.id', 'tickets.requester_id')
          .select(['tickets.id', 'tickets.subject', 'customers.email', 'customers.name'])
          .where('tickets.number', '=', r.ticket!)
          .executeTakeFirstOrThrow();
        expect(t.subject).toBe(e.subject!.replaceAll('{{NUMBER}}', karen.number));
        expect(t.email).toBe(e.requester!.email);
        if (e.requester!.name) expect(t.name).toBe(e.requester!.name);
        expect((await jobTypesFor(db, t.id)).includes('mail.acknowledgement')).toBe(e.acknowledged);
        const collaborators = await db
          .selectFrom('ticket_collaborators')
          .innerJoin('customers', 'customers.id', 'ticket_collaborators.customer_id')
          .select('customers.email')
          .where('ticket_id', '=', t.id)
          .execute();
        expect(collaborators.map((c) => c.email).sort()).toEqual([...e.collaborators].sort());
      }
      if (e.outcome === 'ticket' || e.outcome === 'reply') {
        if (e.outcome === 'reply') {
          expect(r.ticket).toBe(karen.number);
          expect(r.threaded).toBe(e.threaded);
        }
        // The entry the result names is the message, on the ticket the result names.
        const entry = await db
          .selectFrom('thread_entries')
          .innerJoin('tickets', 'tickets.id', 'thread_entries.ticket_id')
          .select(['thread_entries.body', 'thread_entries.format', 'thread_entries.kind', 'tickets.number'])
          .where('thread_entries.id', '=', r.entryId!)
          .executeTakeFirstOrThrow();
        expect([entry.kind, entry.format, entry.number]).toEqual(['message', e.format, r.ticket]);
        for (const s of e.bodyContains) expect(entry.body).toContain(s);
        for (const s of e.bodyExcludes) expect(entry.body).not.toContain(s);
        const files = await db
          .selectFrom('attachments')
          .select(['filename', 'content_type', 'content_id'])
          .where('entry_id', '=', r.entryId!)
          .execute();
        expect(
          files.map((f) => ({
            filename: f.filename,
            contentType: f.content_type,
            inline: f.content_id !== null,
          })),
        ).toEqual(e.attachments);
      }
      if (e.outcome === 'bounce' || e.outcome === 'auto_reply') {
        expect(inbound.ticket_id).toBe(karen.id);
        const type = e.outcome === 'bounce' ? 'email_bounced' : 'auto_reply_received';
        const events = await db
          .selectFrom('ticket_events')
          .select('data')
          .where('ticket_id', '=', karen.id)
          .where('type', '=', type)
          .execute();
        expect(events).toHaveLength(1);
        if (e.bounceRecipient)
          expect(JSON.parse(events[0]!.data)).toMatchObject({
            recipient: e.bounceRecipient,
            status: '5.1.1',
          });
      }
      if (e.outcome === 'flagged') expect([inbound.ticket_id, inbound.reason]).toEqual([null, 'no_sender']);
    });
  }

  it('the bounce marks the mail it reports as bounced', async () => {
    const row = await desk.db
      .selectFrom('mail_log')
      .select(['status', 'error'])
      .where('message_id', '=', ackId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('bounced');
    expect(row.error).toContain('5.1.1');
  });

  it('the inline image is linked from the stored HTML of an HTML-only message', async () => {
    // The Apple Mail message has a text part (stored as text); re-send its HTML alone to see the cid: link rewritten.
    const html = fixture('apple-mail-inline-image.eml', '', '')
      .toString('latin1')
      .replace(/Message-ID: <[^>]+>/i, 'Message-ID: <html-only-copy@example.com>');
    const withoutText = html.replace(/Content-Type: text\/plain[\s\S]*?(?=--)/i, '');
    const r = await ingestMail(desk.deps, Buffer.from(withoutText, 'latin1'), { channel: 'pipe' });
    expect(r.outcome).toBe('ticket');
    const entry = await desk.db
      .selectFrom('thread_entries')
      .select(['body', 'format'])
      .where('id', '=', r.entryId!)
      .executeTakeFirstOrThrow();
    const image = await desk.db
      .selectFrom('attachments')
      .select('id')
      .where('entry_id', '=', r.entryId!)
      .executeTakeFirstOrThrow();
    expect(entry.format).toBe('html');
    expect(entry.body).toContain(`src="/api/v1/attachments/${image.id}"`);
    expect(entry.body).not.toContain('cid:');
  });

  it('the same message twice is one ticket: the second is recorded as a duplicate', async () => {
    const raw = fixture('gmail-new-cc.eml', karen.number, ackId);
    const again = await ingestMail(desk.deps, raw, { channel: 'smtp' });
    expect(again.outcome).toBe('duplicate');
    expect(again.ticket).toBe(results.get('gmail-new-cc.eml')!.ticket);
  });

  it('winmail.dat is kept and explained to the agents in an internal note', async () => {
    const r = results.get('winmail-dat.eml')!;
    const notes = await desk.db
      .selectFrom('thread_entries')
      .innerJoin('tickets', 'tickets.id', 'thread_entries.ticket_id')
      .select('thread_entries.body')
      .where('tickets.number', '=', r.ticket!)
      .where('thread_entries.kind', '=', 'note')
      .execute();
    expect(notes.map((n) => n.body).join('\n')).toContain('TNEF');
  });
});
