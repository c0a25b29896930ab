import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CSP_NONCE_PLACEHOLDER, newNonce, pagePolicy } from './security-headers.ts';
import { encodePage, pickEncoding } from './web.compression.ts';

// The web UI built by Vite into dist/web (npm start builds it first): the
// customer portal at / and the agent panel at /agent. Any other page path
// under them gets its index.html, so client-side routes survive a reload.
// Without a build the server still runs; the pages say how to build them.
// Each page is sent with a nonce of its own, in its Content-Security-Policy
// and in the places Vite marked (security-headers.ts); the files themselves
// are never served as they are. Assets go out as the .br or .gz written next
// to them at build when the browser accepts one, pages are compressed per
// response; both say `Vary: Accept-Encoding`.

// DESKLINE_WEB_DIR points at another build (used to test two UI builds side by side).
export const WEB_DIR = path.resolve(process.env.DESKLINE_WEB_DIR ?? 'dist/web');

export async function registerWebRoutes(app: FastifyInstance, dir = WEB_DIR): Promise<void> {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    app.get('/', async (req, reply) => {
      req.log.warn({ dir }, 'the web UI is not built');
      return reply
        .code(503)
        .type('text/plain')
        .send('The web UI is not built: run `npx vite build` (npm start does).');
    });
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    index: false,
    wildcard: false,
    // The compressed copies are no routes of their own: preCompressed picks them.
    globIgnore: ['**/*.html', '**/*.br', '**/*.gz'],
    preCompressed: true,
    // Vite names every asset by its content hash: browsers keep them without asking again.
    setHeaders: (res, file) => {
      if (file.includes(`${path.sep}assets${path.sep}`))
        res.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  const page = (file: string) => {
    const html = fs.readFileSync(path.join(dir, file), 'utf8');
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const nonce = newNonce();
      const encoding = pickEncoding(req.headers['accept-encoding']);
      if (encoding !== 'identity') reply.header('content-encoding', encoding);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', pagePolicy(nonce))
        .header('cache-control', 'no-cache')
        .header('vary', 'accept-encoding')
        .send(encodePage(html.replaceAll(CSP_NONCE_PLACEHOLDER, nonce), encoding));
    };
  };
  const agent = page('agent/index.html');
  const portal = page('index.html');
  app.get('/agent', async (_req, reply) => reply.redirect('/agent/'));
  app.get('/agent/*', agent);
  for (const url of [
    '/',
    '/tickets/*',
    '/access/*',
    '/confirm/*',
    '/confirm-email/*',
    '/account',
    '/survey/*',
  ])
    app.get(url, portal);
}
