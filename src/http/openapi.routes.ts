import type { HttpContext } from './context.ts';
import { registerDocsViewer } from './docs-viewer.ts';
import { buildOpenApi } from './openapi.ts';
import { forReaders } from './openapi.examples.ts';

/** /api/openapi.json (the document) and /api/docs (the reference that shows it). */
export function registerOpenApiRoutes(ctx: HttpContext): void {
  let doc: unknown;
  ctx.app.get('/api/openapi.json', async () => (doc ??= forReaders(buildOpenApi(ctx.routes, ctx.publicUrl))));
  registerDocsViewer(ctx.app);
}
