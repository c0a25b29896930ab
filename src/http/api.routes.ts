import { registerAuthRoutes } from '../modules/auth/auth.routes.ts';
import type { HttpContext } from './context.ts';
import { registerOpenApiRoutes } from './openapi.routes.ts';

/**
 * Every API route module, in one list. The OpenAPI routes come last: the
 * document lists what was registered before them.
 */
export async function registerApiRoutes(ctx: HttpContext): Promise<void> {
  registerAuthRoutes(ctx);
  registerOpenApiRoutes(ctx);
}
