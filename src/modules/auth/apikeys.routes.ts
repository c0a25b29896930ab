import { z } from 'zod';
import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { ApiKeyCreatedOut, ApiKeyListOut } from '../../contract/auth.contract.ts';
import { createApiKey, listApiKeys, NewApiKeyInput, revokeApiKey } from './apikeys.service.ts';

const tags = ['API keys'];

/** Admins list, create (the key is shown once) and revoke API keys. */
export function registerApiKeyRoutes(ctx: HttpContext): void {
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/api-keys',
      summary: 'List API keys (never the keys themselves)',
      tags,
      access: 'admin',
      response: ApiKeyListOut,
    },
    async () => ({ items: await listApiKeys(ctx.deps) }),
  );
  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/api-keys',
      summary: 'Create an API key; the answer is the only time the key is shown',
      tags,
      access: 'admin',
      body: NewApiKeyInput,
      response: ApiKeyCreatedOut,
      status: 201,
      errors: [404],
    },
    async ({ body }) => createApiKey(ctx.deps, body),
  );
  route(
    ctx,
    {
      method: 'DELETE',
      url: '/api/v1/api-keys/:id',
      summary: 'Revoke an API key',
      tags,
      access: 'admin',
      params: z.strictObject({ id: z.coerce.number().int().positive() }),
      status: 204,
    },
    async ({ params }) => {
      await revokeApiKey(ctx.deps, params.id);
      ctx.auth.forgetKey(params.id);
    },
  );
}
