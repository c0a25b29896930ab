import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemoDesk } from './support/desk.ts';

// Issue 19: the built UI goes out compressed. Against `deskline start` with the
// real build: the agent page's own script and stylesheet, and the page itself,
// as br, gzip or as they are by Accept-Encoding, decoding to the same bytes.
// node:http, not fetch: fetch would decode the body before the test sees it.

let desk: Awaited<ReturnType<typeof startDemoDesk>>;
beforeAll(async () => {
  desk = await startDemoDesk();
});
afterAll(async () => desk?.stop());

type Got = { headers: http.IncomingHttpHeaders; body: Buffer };
const get = (path: string, accept?: string) =>
  new Promise<Got>((resolve, reject) => {
    const req = http.get(
      `${desk.url}${path}`,
      { headers: accept ? { 'accept-encoding': accept } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
  });
const decode = (got: Got): Buffer => {
  const enc = got.headers['content-encoding'];
  if (enc === 'br') return zlib.brotliDecompressSync(got.body);
  if (enc === 'gzip') return zlib.gunzipSync(got.body);
  return got.body;
};

it("sends the agent page's script, stylesheet and page as br, gzip or identity", async () => {
  const html = (await get('/agent/')).body.toString();
  const js = /src="(\/assets\/agent-[^"]+\.js)"/.exec(html)![1]!;
  const css = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1]!;
  for (const asset of [js, css]) {
    const plain = await get(asset);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');
    for (const [accept, expected] of [
      ['br, gzip, deflate', 'br'],
      ['gzip, deflate', 'gzip'],
    ]) {
      const got = await get(asset, accept);
      expect(got.headers['content-encoding'], `${asset} ${accept}`).toBe(expected);
      expect(got.headers['content-type']).toBe(plain.headers['content-type']);
      expect(got.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(got.headers.vary).toBe('accept-encoding');
      expect(got.body.length).toBeLessThan(plain.body.length / 3);
      expect(decode(got).equals(plain.body)).toBe(true);
    }
  }
  for (const accept of ['br', 'gzip', undefined]) {
    const page = await get('/agent/queues/mine', accept);
    expect(page.headers['content-encoding']).toBe(accept);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers.vary).toBe('accept-encoding');
    expect(decode(page).toString()).toContain(js);
  }
});
