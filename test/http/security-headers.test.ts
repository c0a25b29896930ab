import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CSP_NONCE_PLACEHOLDER } from '../../src/http/security-headers.ts';
import { registerWebRoutes } from '../../src/http/web.routes.ts';
import { describeEachDialect } from '../support/db.ts';
import { startHarness, type Harness } from '../support/http.ts';

// Issue 17 item 9: strict headers on every answer; each page gets a nonce of
// its own in its policy and in the places Vite marked. (The browser tests
// prove the app runs under the policy.)

describeEachDialect('security headers', (handle) => {
  let api: Harness;
  beforeAll(async () => {
    api = await startHarness(handle().db);
  });
  afterAll(() => api.close());

  it('every answer forbids framing, referrers and loading anything; the API reference runs the desk’s own files only', async () => {
    for (const url of ['/healthz', '/api/v1/me', '/api/v1/nowhere', '/api/openapi.json']) {
      const res = await api.anonymous.get(url);
      expect([url, res.headers['x-frame-options'], res.headers['referrer-policy']]).toEqual([
        url,
        'DENY',
        'no-referrer',
      ]);
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const docs = await api.anonymous.get('/api/docs');
    expect(docs.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-csp-'));
const web = Fastify();
beforeAll(async () => {
  fs.mkdirSync(path.join(dir, 'agent'));
  const html = (title: string) =>
    `<title>${title}</title><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}"><script type="module" src="/a.js" nonce="${CSP_NONCE_PLACEHOLDER}"></script>`;
  fs.writeFileSync(path.join(dir, 'index.html'), html('portal'));
  fs.writeFileSync(path.join(dir, 'agent', 'index.html'), html('agent'));
  await registerWebRoutes(web, dir);
});
afterAll(async () => {
  await web.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('each page carries a fresh nonce, the same in its policy and its tags; the raw files are not served', async () => {
  const seen = new Set<string>();
  for (const url of ['/', '/agent/', '/tickets/100001', '/agent/queues/mine']) {
    const res = await web.inject({ url });
    const nonce = /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))![1]!;
    expect(res.body).not.toContain(CSP_NONCE_PLACEHOLDER);
    expect(res.body.split(`nonce="${nonce}"`).length).toBe(3);
    expect(res.headers['content-security-policy']).toContain("script-src 'self';");
    expect(res.headers['cache-control']).toBe('no-cache');
    seen.add(nonce);
  }
  expect(seen.size).toBe(4);
  expect((await web.inject({ url: '/index.html' })).statusCode).toBe(404);
  // Under /agent/ every path is the panel's (its own router decides), never the raw file.
  expect((await web.inject({ url: '/agent/index.html' })).body).not.toContain(CSP_NONCE_PLACEHOLDER);
});
