import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';

// Headers that keep the desk's pages from being framed, leaking their URLs
// (access links carry tokens) or running anything but the desk's own code.
// Dependency-free apart from node:crypto: vite.config.ts imports the nonce
// placeholder from here.

/**
 * Vite writes this into every script, style and `<meta property="csp-nonce">`
 * tag of the built pages (vite.config.ts `html.cspNonce`); the server puts a
 * fresh random nonce in its place for each page it sends (web.routes.ts).
 * Mantine reads it from the meta tag for the `<style>` elements it injects.
 */
export const CSP_NONCE_PLACEHOLDER = 'DESKLINE_CSP_NONCE';

const policy = (rules: Record<string, string>) =>
  Object.entries(rules)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');

/** Everything that is not a page (API answers, assets, errors): nothing may load, nothing may frame it. */
const NOTHING = policy({
  'default-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
});

/**
 * The web UI's pages: scripts and styles only from the desk itself (the built
 * index.html has no inline script); Mantine's injected `<style>` elements
 * carry the page's nonce; images as data: URLs (Mantine's icons) or blobs.
 */
export function pagePolicy(nonce: string): string {
  return policy({
    'default-src': "'self'",
    'script-src': "'self'",
    'style-src': `'self' 'nonce-${nonce}'`,
    'img-src': "'self' data: blob:",
    'font-src': "'self' data:",
    'connect-src': "'self'",
    'object-src': "'none'",
    'base-uri': "'none'",
    'form-action': "'self'",
    'frame-ancestors': "'none'",
  });
}

/**
 * The API reference (/api/docs, docs-viewer.ts): Swagger UI's files and its
 * start-up script from the desk, no inline code; requests (try-it, the
 * document) to the desk only; images as data: URLs (Swagger UI's icons).
 */
export const DOCS_POLICY = policy({
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'connect-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
});

/** A fresh nonce for one page. */
export const newNonce = (): string => crypto.randomBytes(16).toString('base64');

/**
 * Sets the defaults on every answer before its handler runs, so a route can
 * set its own Content-Security-Policy (pages, downloads) over them.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  const headers = {
    'content-security-policy': NOTHING,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  };
  // A callback hook, not an async one: it runs on every request, and skips a promise each time.
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
