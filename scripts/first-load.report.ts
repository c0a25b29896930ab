import path from 'node:path';
import Fastify from 'fastify';
import { registerWebRoutes } from '../src/http/web.routes.ts';

// First-load bytes of the two pages as the server sends them: the page's HTML
// plus every script, module preload and stylesheet it names (what a browser
// fetches before the first paint; chunks loaded later by a route are not
// counted), once per Accept-Encoding. Bytes are the response bodies, without
// HTTP headers. Run after a build: `npx vite build && npx tsx scripts/first-load.report.ts`
// (or pass another build's directory).

const dir = path.resolve(process.argv[2] ?? 'dist/web');
const ENCODINGS = [
  ['identity', 'identity'],
  ['gzip', 'gzip'],
  ['br', 'br, gzip, deflate'],
] as const;

const app = Fastify();
await registerWebRoutes(app, dir);

async function bytes(url: string, accept: string): Promise<{ size: number; body: string }> {
  const res = await app.inject({ url, headers: { 'accept-encoding': accept } });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
  return { size: res.rawPayload.length, body: res.body };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const rows: string[] = ['| page | files | identity | gzip | br |', '| --- | --- | --- | --- | --- |'];
for (const page of ['/', '/agent/']) {
  const html = (await bytes(page, 'identity')).body;
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  const sizes: Record<string, { html: number; js: number; css: number }> = {};
  for (const [name, accept] of ENCODINGS) {
    const s = { html: (await bytes(page, accept)).size, js: 0, css: 0 };
    for (const a of assets) s[a.endsWith('.css') ? 'css' : 'js'] += (await bytes(a, accept)).size;
    sizes[name] = s;
  }
  const cell = (name: string) => {
    const s = sizes[name]!;
    return `${kb(s.html + s.js + s.css)} (HTML ${kb(s.html)}, JS ${kb(s.js)}, CSS ${kb(s.css)})`;
  };
  rows.push(`| \`${page}\` | ${assets.length + 1} | ${cell('identity')} | ${cell('gzip')} | ${cell('br')} |`);
}
process.stdout.write(`${rows.join('\n')}\n`);
await app.close();
