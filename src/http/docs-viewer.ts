import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DOCS_POLICY } from './security-headers.ts';

// /api/docs: the OpenAPI document in Swagger UI, served from the npm package
// swagger-ui-dist (no CDN, nothing fetched at run time). Swagger UI because it
// is plain prebuilt files with no dependencies to bundle, runs with no inline
// script or style (the page passes a strict CSP without a nonce), and has
// try-it built in; Redoc has no try-it, Scalar brings a Vue app and a tree of
// packages. Our own start-up script (docs-viewer.client.js) configures it:
// try-it with an API key or this browser's session and its CSRF token.

const SWAGGER_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const HERE = import.meta.dirname;

/** The files the page loads: name → where it lives and its type. */
const FILES: Record<string, { dir: string; type: string }> = {
  'swagger-ui-bundle.js': { dir: SWAGGER_DIR, type: 'text/javascript; charset=utf-8' },
  'swagger-ui.css': { dir: SWAGGER_DIR, type: 'text/css; charset=utf-8' },
  'docs-viewer.client.js': { dir: HERE, type: 'text/javascript; charset=utf-8' },
  'docs-viewer.client.css': { dir: HERE, type: 'text/css; charset=utf-8' },
};

/** Part of the files' URL that changes with any of them, so browsers may keep them for good. */
const VERSION = crypto
  .createHash('sha256')
  .update(fs.readFileSync(path.join(SWAGGER_DIR, 'package.json')))
  .update(fs.readFileSync(path.join(HERE, 'docs-viewer.client.js')))
  .update(fs.readFileSync(path.join(HERE, 'docs-viewer.client.css')))
  .digest('hex')
  .slice(0, 12);

/** Outside /api/: the page's files are not API operations (the OpenAPI document lists those exactly). */
export const DOCS_ASSETS = `/docs-assets/${VERSION}`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Deskline API</title>
<link rel="stylesheet" href="${DOCS_ASSETS}/swagger-ui.css">
<link rel="stylesheet" href="${DOCS_ASSETS}/docs-viewer.client.css">
<link rel="icon" href="/favicon.svg">
</head>
<body>
<main id="swagger-ui" aria-live="polite"><noscript>The reference needs JavaScript; the document itself is <a href="/api/openapi.json">/api/openapi.json</a>.</noscript></main>
<script src="${DOCS_ASSETS}/swagger-ui-bundle.js"></script>
<script src="${DOCS_ASSETS}/docs-viewer.client.js"></script>
</body>
</html>
`;

/** The page at /api/docs and its files (read on first use: most processes never serve them). */
export function registerDocsViewer(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  app.get('/api/docs', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', DOCS_POLICY)
      .header('cache-control', 'no-cache')
      .send(PAGE),
  );
  app.get<{ Params: { file: string } }>(`${DOCS_ASSETS}/:file`, async (req, reply) => {
    const file = Object.hasOwn(FILES, req.params.file) ? FILES[req.params.file] : undefined;
    if (!file) return reply.callNotFound();
    let body = cache.get(req.params.file);
    if (!body) {
      body = await fs.promises.readFile(path.join(file.dir, req.params.file));
      cache.set(req.params.file, body);
    }
    return reply.type(file.type).header('cache-control', 'public, max-age=31536000, immutable').send(body);
  });
}
