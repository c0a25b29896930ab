import { z } from 'zod';
import type { RouteSpec } from './route.ts';

// The OpenAPI 3.1 document, built from the same zod schemas the edge parses
// with, so the documentation cannot drift from what the server accepts.

type JsonSchema = Record<string, unknown>;

const toSchema = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const COMMON_ERRORS: Record<number, string> = {
  400: 'The body is not JSON, or nests deeper than 32 levels (`invalid_json`, `json_too_deep`)',
  401: 'Not signed in, or the API key is missing, unknown, revoked or not allowed from this address',
  403: 'Signed in but not allowed (role, API key scope, or missing CSRF token on a cookie write)',
  404: 'Not found, or not visible to the caller',
  413: "The body is larger than this route reads (`payload_too_large`; see the API guide's limits)",
  422: 'The input failed validation; `details` lists every problem',
  429: 'Rate limited; see the Retry-After header',
};

const pathOf = (url: string) => url.replace(/:([A-Za-z_]+)/g, '{$1}');

function parameters(spec: RouteSpec) {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, 'input');
    const props = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, s] of Object.entries(props)) {
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: s });
    }
  }
  return out;
}

function operation(spec: RouteSpec) {
  const status = String(spec.status ?? 200);
  const media = spec.contentType ?? 'application/json';
  const errorSchema = spec.contentType ? { type: 'string' } : { $ref: '#/components/schemas/Error' };
  const responses: Record<string, unknown> = {
    [status]:
      status === '204'
        ? { description: 'Done' }
        : {
            description: 'Success',
            ...(spec.response ? { content: { [media]: { schema: toSchema(spec.response, 'output') } } } : {}),
          },
  };
  const codes = new Set([422, ...(spec.access === 'public' ? [] : [401, 403]), ...(spec.errors ?? [])]);
  if (spec.params) codes.add(404);
  // Every route that reads a body can refuse it before its schema runs.
  if (spec.body) for (const c of [400, 413]) codes.add(c);
  for (const code of [...codes].sort()) {
    responses[String(code)] = {
      description: COMMON_ERRORS[code] ?? 'Error',
      content: { [media]: { schema: errorSchema } },
    };
  }
  return {
    summary: spec.summary,
    tags: spec.tags,
    operationId: `${spec.method.toLowerCase()}${pathOf(spec.url).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(spec.access === 'public' ? { security: [] } : {}),
    parameters: parameters(spec),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: toSchema(spec.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApi(routes: readonly RouteSpec[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const p = pathOf(spec.url);
    paths[p] ??= {};
    paths[p][spec.method.toLowerCase()] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Deskline API',
      version: '1.0.0',
      description:
        'The whole help desk over HTTP. Authenticate with an API key (`Authorization: Bearer <key>` or `X-API-Key`) or a session cookie from `POST /api/v1/session` (writes then need the `X-CSRF-Token` header). Errors are `{"error": {"code", "message", "details"}}` with stable codes.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { apiKey: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        session: { type: 'apiKey', in: 'cookie', name: 'deskline_session' },
      },
      schemas: { Error: toSchema(ErrorBody, 'output') },
    },
  };
}
