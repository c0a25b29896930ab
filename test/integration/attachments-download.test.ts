import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../../src/modules/auth/apikeys.service.ts';
import { describeEachDialect, PG_URL } from '../support/db.ts';
import { loadDesk, seedDesk } from '../support/factories.ts';
import { inSchema, serve } from '../support/server.ts';

// Downloads stream the stored file. The route wrapper used to send a second
// answer when a download ended early (a browser cancels it, a user leaves
// the page): it asked `reply.sent`, which is true only once an answer has
// ended, so a stream cut short looked unanswered and got a 500 on top of it,
// logged as ERR_HTTP_HEADERS_SENT. A real server process and real sockets:
// large files fetched many at once, some of them abandoned half-way.

const MiB = 1024 * 1024;

describeEachDialect('attachment downloads', (handle, dialect) => {
  let server: Awaited<ReturnType<typeof serve>>;
  let key = '';
  let dataDir = '';
  const files: { id: number; bytes: Buffer }[] = [];

  beforeAll(async () => {
    const h = handle();
    await seedDesk(h.db);
    const desk = await loadDesk(h.db);
    key = (await createApiKey(desk.deps, { name: 'downloads' })).key;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-downloads-'));
    const url = dialect === 'postgres' ? inSchema(PG_URL, h.schema!) : `sqlite:${h.file}`;
    server = await serve(url, { DESKLINE_DATA_DIR: dataDir, DESKLINE_ROLE: 'web', LOG_LEVEL: 'warn' });
    // Four tickets, each with two files of 2–5 MiB (random bytes: nothing compresses or repeats).
    for (let t = 0; t < 4; t++) {
      const bytes = [0, 1].map((i) => crypto.randomBytes((2 + ((t + i) % 4)) * MiB));
      const res = await fetch(`${server.url}/api/v1/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          subject: `Logs ${t}`,
          body: 'The files',
          requester: { email: `files${t}@example.com` },
          attachments: bytes.map((b, i) => ({
            filename: `log-${t}-${i}.bin`,
            contentType: 'application/octet-stream',
            data: b.toString('base64'),
          })),
        }),
      });
      expect(res.status).toBe(201);
      const { number } = (await res.json()) as { number: string };
      const detail = (await (
        await fetch(`${server.url}/api/v1/tickets/${number}`, { headers: { authorization: `Bearer ${key}` } })
      ).json()) as { thread: { attachments: { id: number; filename: string }[] }[] };
      const stored = detail.thread.flatMap((e) => e.attachments);
      for (const [i, b] of bytes.entries()) {
        const a = stored.find((s) => s.filename === `log-${t}-${i}.bin`)!;
        files.push({ id: a.id, bytes: b });
      }
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('48 concurrent downloads of 2–5 MiB files, a third abandoned: every byte right, nothing logged', async () => {
    const download = async (f: (typeof files)[number]) => {
      const res = await fetch(`${server.url}/api/v1/attachments/${f.id}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const body = Buffer.from(await res.arrayBuffer());
      return { status: res.status, length: res.headers.get('content-length'), same: body.equals(f.bytes) };
    };
    // Read the first bytes, then hang up, as a browser does when a download is cancelled.
    const abandon = (f: (typeof files)[number]) =>
      new Promise<number>((resolve, reject) => {
        const req = http.get(
          `${server.url}/api/v1/attachments/${f.id}`,
          { headers: { authorization: `Bearer ${key}` } },
          (res) =>
            res.once('data', () => {
              req.destroy();
              resolve(res.statusCode!);
            }),
        );
        req.on('error', reject);
      });
    const all = Array.from({ length: 48 }, (_, i) => files[i % files.length]!);
    const [kept, abandoned] = await Promise.all([
      Promise.all(all.filter((_, i) => i % 3 !== 0).map(download)),
      Promise.all(all.filter((_, i) => i % 3 === 0).map(abandon)),
    ]);
    expect(abandoned.every((s) => s === 200)).toBe(true);
    for (const r of kept) expect(r).toMatchObject({ status: 200, same: true });
    expect(kept.map((r) => r.length)).toEqual(
      all.filter((_, i) => i % 3 !== 0).map((f) => String(f.bytes.length)),
    );
    // Give a late second answer the time to be written to the log.
    await new Promise((r) => setTimeout(r, 300));
    const logged = server
      .stdout()
      .split('\n')
      .filter((line) => /ERR_HTTP_HEADERS_SENT|Reply was already sent|"level":50/.test(line));
    expect(logged.map((line) => line.slice(0, 300))).toEqual([]);
  }, 120_000);
});
