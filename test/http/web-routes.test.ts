import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerWebRoutes } from '../../src/http/web.routes.ts';
import { pickEncoding } from '../../src/http/web.compression.ts';
import { precompressDir } from '../../scripts/precompress.plugin.ts';

// The built UI as the server serves it: page paths get their index.html (so a
// reload keeps the page), hashed assets are cached for good, pages are not;
// both go out compressed when the browser accepts it. The assets are
// compressed as the build does it (the Vite plugin's own function).

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-web-'));
const app = Fastify();
// Big enough to be compressed at build (over 1 KB), like the real bundles.
const AGENT_JS = Array.from({ length: 400 }, (_, i) => `export const v${i} = ${i} * 2;`).join('\n');
const AGENT_CSS = Array.from({ length: 200 }, (_, i) => `.c${i} { margin: ${i}px; }`).join('\n');

beforeAll(async () => {
  fs.mkdirSync(path.join(dir, 'agent'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<title>portal</title>');
  fs.writeFileSync(path.join(dir, 'agent', 'index.html'), '<title>agent</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'agent-abc123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'assets', 'agent-big456.js'), AGENT_JS);
  fs.writeFileSync(path.join(dir, 'assets', 'agent-big456.css'), AGENT_CSS);
  await precompressDir(dir);
  await registerWebRoutes(app, dir);
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('serves the agent panel for every /agent path and the portal for ticket paths', async () => {
  for (const url of ['/agent/', '/agent/tickets/100001', '/agent/queues/mine']) {
    const res = await app.inject({ url });
    expect(res.statusCode, url).toBe(200);
    expect(res.body).toBe('<title>agent</title>');
  }
  expect((await app.inject({ url: '/agent' })).headers.location).toBe('/agent/');
  expect((await app.inject({ url: '/tickets/100001' })).body).toBe('<title>portal</title>');
  expect((await app.inject({ url: '/' })).body).toBe('<title>portal</title>');
});

it('lets browsers keep hashed assets without revalidating, but not the pages', async () => {
  const asset = await app.inject({ url: '/assets/agent-abc123.js' });
  expect(asset.statusCode).toBe(200);
  expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  const page = await app.inject({ url: '/' });
  expect(page.headers['cache-control'] ?? '').not.toContain('immutable');
});

const decode = (encoding: string | undefined, body: Buffer): Buffer =>
  encoding === 'br' ? zlib.brotliDecompressSync(body) : encoding === 'gzip' ? zlib.gunzipSync(body) : body;

it('writes .br and .gz copies at build only for assets over 1 KB', () => {
  for (const ext of ['.br', '.gz'])
    expect(fs.existsSync(path.join(dir, 'assets', `agent-big456.js${ext}`))).toBe(true);
  expect(fs.existsSync(path.join(dir, 'assets', 'agent-abc123.js.br'))).toBe(false);
});

it('sends an asset as br, gzip or as it is by Accept-Encoding, same bytes, type and caching', async () => {
  const cases = [
    ['br, gzip, deflate', 'br'],
    ['gzip, deflate', 'gzip'],
    ['gzip;q=1, br;q=0', 'gzip'],
    [undefined, undefined],
    ['identity', undefined],
  ] as const;
  for (const [file, type, raw] of [
    ['agent-big456.js', /^(text|application)\/javascript; charset=utf-8$/, AGENT_JS],
    ['agent-big456.css', /^text\/css; charset=utf-8$/, AGENT_CSS],
  ] as const) {
    for (const [accept, expected] of cases) {
      const res = await app.inject({
        url: `/assets/${file}`,
        headers: accept ? { 'accept-encoding': accept } : {},
      });
      expect(res.statusCode, `${file} ${accept}`).toBe(200);
      expect(res.headers['content-encoding'], `${file} ${accept}`).toBe(expected);
      expect(res.headers['content-type']).toMatch(type);
      expect(res.headers.vary).toBe('accept-encoding');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const body = res.rawPayload;
      if (expected) expect(body.length).toBeLessThan(raw.length);
      expect(decode(expected, body).toString()).toBe(raw);
    }
  }
  // The copies are not addresses of their own.
  expect((await app.inject({ url: '/assets/agent-big456.js.br' })).statusCode).toBe(404);
});

it('compresses each page per response, keeping its nonce and no-cache', async () => {
  for (const [accept, expected] of [
    ['br', 'br'],
    ['gzip', 'gzip'],
    [undefined, undefined],
  ] as const) {
    const res = await app.inject({
      url: '/agent/queues/mine',
      headers: accept ? { 'accept-encoding': accept } : {},
    });
    expect(res.headers['content-encoding'], String(accept)).toBe(expected);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers.vary).toBe('accept-encoding');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(decode(expected, res.rawPayload).toString()).toBe('<title>agent</title>');
  }
});

it('prefers br, then gzip, and honours q=0 and *', () => {
  expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
  expect(pickEncoding('gzip, br;q=0')).toBe('gzip');
  expect(pickEncoding('*')).toBe('br');
  expect(pickEncoding('*, br;q=0, gzip;q=0')).toBe('identity');
  expect(pickEncoding('deflate')).toBe('identity');
  expect(pickEncoding('')).toBe('identity');
});
