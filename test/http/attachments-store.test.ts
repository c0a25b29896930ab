import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/db.ts';
import { intakeCounts } from '../support/compat.ts';
import { PASSWORDS, startHarness, type Client, type Harness } from '../support/http.ts';
import { PostedOut, TicketOut } from '../../src/contract/tickets.contract.ts';

// The file store and the checks in front of it, through the reply endpoint.

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64');
const file = (filename: string, data: string | Buffer, contentType?: string) => ({
  filename,
  data: b64(data),
  ...(contentType ? { contentType } : {}),
});
const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

/** A minimal Windows program header: "MZ", and at 0x3c the offset of "PE\0\0". */
function windowsProgram(): Buffer {
  const b = Buffer.alloc(128);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(64, 0x3c);
  b.write('PE\0\0', 64, 'latin1');
  return b;
}

/** Every file under a directory, relative to it. */
const filesUnder = (dir: string): string[] =>
  fs.existsSync(dir)
    ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) =>
        fs.statSync(path.join(dir, p)).isFile(),
      )
    : [];

describeEachDialect('attachment storage and checks', (handle) => {
  let api: Harness;
  let jane: Client;
  let number: string;
  const reply = (attachments: unknown[]) =>
    jane.post(`/api/v1/tickets/${number}/replies`, { body: 'With files', attachments });

  beforeAll(async () => {
    api = await startHarness(handle().db);
    jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const created = await jane.post('/api/v1/tickets', {
      subject: 'Files',
      body: 'Files go here',
      requester: { email: 'files@example.com', name: 'Files' },
    });
    number = created.as(TicketOut).number;
  });
  afterAll(() => api.close());

  it('stores each content once at attachments/<sha[0:2]>/<sha[2:4]>/<sha256>, however often attached', async () => {
    const root = path.join(api.desk.deps.files!.dir, 'attachments');
    const content = `report ${crypto.randomUUID()}`;
    const sha = crypto.createHash('sha256').update(content).digest('hex');
    const first = await reply([file('report.txt', content)]);
    const second = await reply([file('copy of report.txt', content), file('report again.txt', content)]);
    expect([first.status, second.status]).toEqual([201, 201]);
    const rows = await api.desk.db
      .selectFrom('attachments')
      .select(['sha256', 'filename'])
      .where('sha256', '=', sha)
      .execute();
    expect(rows.map((r) => r.filename).sort()).toEqual([
      'copy of report.txt',
      'report again.txt',
      'report.txt',
    ]);
    const stored = filesUnder(root).filter((p) => p.endsWith(sha));
    expect(stored).toEqual([path.join(sha.slice(0, 2), sha.slice(2, 4), sha)]);
    expect(fs.readFileSync(path.join(root, stored[0]!), 'utf8')).toBe(content);
    expect(filesUnder(root).filter((p) => p.endsWith('.tmp'))).toEqual([]);
  });

  it('downloads with the stored type, length and a UTF-8 file name', async () => {
    const res = await reply([file('Übersicht März.pdf', '%PDF-1.7 fake', 'application/octet-stream')]);
    const att = res.as(PostedOut).entry.attachments[0]!;
    expect([att.filename, att.contentType]).toEqual(['Übersicht März.pdf', 'application/pdf']);
    const dl = await jane.get(att.url);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-length']).toBe(String('%PDF-1.7 fake'.length));
    expect(dl.headers['content-disposition']).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent('Übersicht März.pdf')}`,
    );
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the type comes from the bytes when they are recognisable, else from the sender; HTML never renders', async () => {
    const res = await reply([
      file('photo.txt', png, 'text/plain'),
      { filename: 'page.html', data: `data:text/html,${encodeURIComponent('<script>alert(1)</script>')}` },
      file('data.bin', 'opaque', 'not a type'),
    ]);
    expect(res.as(PostedOut).entry.attachments.map((a) => a.contentType)).toEqual([
      'image/png',
      'text/html',
      'application/octet-stream',
    ]);
    const page = await jane.get(res.as(PostedOut).entry.attachments[1]!.url);
    expect(page.headers['content-disposition']).toMatch(/^attachment;/);
    expect(page.headers['content-security-policy']).toContain('sandbox');
  });

  it('cleans names: no directories, no control or bidi characters, length capped keeping the extension', async () => {
    const res = await reply([
      file('../../etc/passwd', 'root:x'),
      file('..\\..\\windows\\win.ini', '[fonts]'),
      file('in\u0000vo\u001bice\u202Etxt.pdf', 'x'),
      file(`${'a'.repeat(400)}.txt`, 'long'),
    ]);
    const names: string[] = res.as(PostedOut).entry.attachments.map((a) => a.filename);
    expect(names.slice(0, 3)).toEqual(['passwd', 'win.ini', 'invoicetxt.pdf']);
    expect(names[3]!.length).toBeLessThanOrEqual(180);
    expect(names[3]!.endsWith('.txt')).toBe(true);
  });

  it('refuses executables by name, claimed type or content, bad data and unusable names; nothing written', async () => {
    const before = await intakeCounts(api.desk.db);
    const cases: [unknown, number, string][] = [
      [file('setup.exe', 'MZ'), 422, 'attachment_type_refused'],
      [file('SETUP.EXE.', 'MZ'), 422, 'attachment_type_refused'],
      [file('run.bat', '@echo off'), 422, 'attachment_type_refused'],
      [file('helper.js', 'alert(1)'), 422, 'attachment_type_refused'],
      [file('update.msi', 'x'), 422, 'attachment_type_refused'],
      [file('report.pdf', 'x', 'application/x-msdownload'), 422, 'attachment_type_refused'],
      [file('report.pdf', windowsProgram()), 422, 'attachment_type_refused'],
      [{ filename: 'a.txt', data: '%%%not base64%%%' }, 422, 'attachment_invalid'],
      [{ filename: 'a.txt', data: 'data:text/plain;base64,@@@' }, 422, 'attachment_invalid'],
      [{ filename: 'a.txt', data: 'data:text/plain;base64' }, 422, 'attachment_invalid'],
      [file('///', 'x'), 422, 'attachment_name_invalid'],
      [file('\u0001\u0002', 'x'), 422, 'attachment_name_invalid'],
      [{ filename: 'a.txt' }, 422, 'validation_failed'],
    ];
    for (const [att, status, code] of cases) {
      const res = await reply([file('fine.txt', 'ok'), att]);
      expect([JSON.stringify(att).slice(0, 60), res.status, res.error().code]).toEqual([
        JSON.stringify(att).slice(0, 60),
        status,
        code,
      ]);
    }
    const many = await reply(Array.from({ length: 21 }, (_, i) => file(`f${i}.txt`, 'x')));
    expect([many.status, many.error().code]).toEqual([422, 'validation_failed']);
    expect(await intakeCounts(api.desk.db)).toEqual(before);
  });

  it('refuses a file over the per-file limit with 413', async () => {
    api.desk.deps.files!.maxBytes = 1000;
    try {
      const res = await reply([file('big.log', 'x'.repeat(1001))]);
      expect([res.status, res.error().code]).toEqual([413, 'attachment_too_large']);
      expect((await reply([file('small.log', 'x'.repeat(1000))])).status).toBe(201);
    } finally {
      delete api.desk.deps.files!.maxBytes;
    }
  });

  it('without a file store, attachments are refused with a clear error and the rest still works', async () => {
    const store = api.desk.deps.files;
    delete api.desk.deps.files;
    try {
      const res = await reply([file('a.txt', 'x')]);
      expect([res.status, res.error().code]).toEqual([422, 'attachments_disabled']);
      expect(res.error().message).toMatch(/file storage/);
      expect((await jane.post(`/api/v1/tickets/${number}/replies`, { body: 'No files' })).status).toBe(201);
    } finally {
      api.desk.deps.files = store;
    }
  });

  it('a file whose bytes are gone answers 410, not a broken stream', async () => {
    const res = await reply([file('vanishing.txt', `gone ${crypto.randomUUID()}`)]);
    const row = await api.desk.db
      .selectFrom('attachments')
      .select('sha256')
      .where('id', '=', res.as(PostedOut).entry.attachments[0]!.id)
      .executeTakeFirstOrThrow();
    const sha = row.sha256;
    fs.rmSync(path.join(api.desk.deps.files!.dir, 'attachments', sha.slice(0, 2), sha.slice(2, 4), sha));
    const dl = await jane.get(res.as(PostedOut).entry.attachments[0]!.url);
    expect([dl.status, dl.error().code]).toEqual([410, 'attachment_missing']);
  });
});
