import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerWebRoutes } from '../../src/http/web.routes.ts';

// The built UI as the server serves it: page paths get their index.html (so a
// reload keeps the page), hashed assets are cached for good, pages are not.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-web-'));
const app = Fastify();

beforeAll(async () => {
  fs.mkdirSync(path.join(dir, 'agent'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<title>portal</title>');
  fs.writeFileSync(path.join(dir, 'agent', 'index.html'), '<title>agent</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'agent-abc123.js'), 'console.log(1)');
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
