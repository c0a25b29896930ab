import type { HttpContext } from './context.ts';
import { DOCS_PAGE } from './docs-page.ts';
import { buildOpenApi } from './openapi.ts';
import { inlinePagePolicy } from './security-headers.ts';

const DOCS_POLICY = inlinePagePolicy(DOCS_PAGE);

/** /api/openapi.json (the document) and /api/docs (a page to browse it). */
export function registerOpenApiRoutes(ctx: HttpContext): void {
  let doc: unknown;
  ctx.app.get('/api/openapi.json', async () => (doc ??= buildOpenApi(ctx.routes, ctx.publicUrl)));
  ctx.app.get('/api/docs', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', DOCS_POLICY).send(DOCS_PAGE),
  );
}
