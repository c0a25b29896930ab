import { z } from 'zod';
import { ERROR_CATALOG, ERROR_CODES, ErrorBody, ErrorCodeSchema } from '../contract/errors.ts';
import type { RouteSpec } from './route.ts';

// The OpenAPI 3.1 document, built from the same zod schemas the edge parses
// with, so the documentation cannot drift from what the server accepts. It is
// exact: every status a route can answer, with its media type, is listed
// (test/http/contract.test.ts drives every operation and checks each answer).

type JsonSchema = Record<string, unknown>;

/** zod → JSON Schema 2020-12; metadata given with `.meta()` (a `format`, a description) is kept. */
export const toSchema = (s: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, {
    io,
    unrepresentable: 'any',
    override: io === 'input' ? documentPipedFormat : undefined,
  }) as JsonSchema;
  return rest;
};

/**
 * `z.string().trim().pipe(z.email())` is documented from its input side, a
 * bare string; the check that matters (the format and its pattern) is on the
 * output side. Carry it over, unless `.meta()` already named a format.
 */
function documentPipedFormat(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }) {
  const def = (ctx.zodSchema as { _zod: { def: { type: string; out?: z.ZodType } } })._zod.def;
  if (def.type !== 'pipe' || !def.out || ctx.jsonSchema.type !== 'string' || ctx.jsonSchema.format) return;
  const out = z.toJSONSchema(def.out, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  if (out.type !== 'string' || typeof out.format !== 'string') return;
  ctx.jsonSchema.format = out.format;
  if (typeof out.pattern === 'string' && ctx.jsonSchema.pattern === undefined)
    ctx.jsonSchema.pattern = out.pattern;
}

/** The catalog as a Markdown table, for the document's introduction (the viewer shows it). */
const catalogTable = () =>
  [
    '| Code | Status | Meaning |',
    '| --- | --- | --- |',
    ...ERROR_CODES.map((c) => `| \`${c}\` | ${ERROR_CATALOG[c][0]} | ${ERROR_CATALOG[c][1]} |`),
  ].join('\n');

/** The error body, its code pointing at the catalog's enum (components.schemas.ErrorCode). */
function errorSchemas(): Record<string, JsonSchema> {
  const body = toSchema(ErrorBody, 'output') as { properties: { error: { properties: JsonSchema } } };
  body.properties.error.properties.code = { $ref: '#/components/schemas/ErrorCode' };
  return { ErrorCode: toSchema(ErrorCodeSchema, 'output'), Error: body };
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Not signed in, a wrong password, or the API key is unknown, revoked or not allowed from this address',
  403: 'Not allowed: role, API key scope, or a cookie write without the CSRF token (`csrf_failed`)',
  404: 'Not found, or not visible to the caller (`<thing>_not_found`)',
  409: 'Conflicts with the current state (`invalid_transition`, `ticket_closed`, `<thing>_exists`, `<thing>_in_use`, …)',
  410: 'Gone: the file is no longer stored',
  413: "The body is larger than this route reads (`payload_too_large`; see the API guide's limits)",
  415: 'The body is not JSON (`unsupported_media_type`)',
  422: 'The input failed validation (`validation_failed`: `details` lists every problem) or a rule (codes in docs/API.md, e.g. `unknown_filter` for a list filter that names nothing)',
  429: 'Rate limited (`rate_limited`); try again after the Retry-After header',
  503: 'Try again after the Retry-After header: the database is unavailable (`database_unavailable`), the server is starting (`not_ready`) or stopping (`shutting_down`), or the desk lacks its configuration (`not_configured`)',
};

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  },
};

/** Methods whose requests may carry a body: Fastify parses it before the handler runs. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every error status a route can answer. For routes declared with route(),
 * the spec implies most: 401 (a wrong key or password), 503 (database
 * unavailable) everywhere; 400/413/415 wherever a body may be sent; 403 for
 * role, scope and CSRF checks; 400/404 with path parameters; 422 with anything to
 * validate; plus the handler's own (`errors`). Routes outside route() (the
 * osTicket ones, `plainErrors`) list all of theirs.
 */
export function errorStatuses(spec: RouteSpec): number[] {
  const codes = new Set(spec.errors ?? []);
  if (!spec.plainErrors) {
    codes.add(401).add(503);
    const bodied = BODY_METHODS.has(spec.method);
    if (bodied) codes.add(400).add(413).add(415);
    const roleChecked = spec.access !== 'public' && spec.access !== 'signed-in';
    if (roleChecked || spec.scope || bodied) codes.add(403);
    // A path parameter that is not valid percent-encoding is refused by the router (400 `bad_url`).
    if (spec.params) codes.add(400).add(404);
    if (spec.params || spec.query || spec.body) codes.add(422);
  }
  return [...codes].sort((a, b) => a - b);
}

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

/** The success answer: JSON (or the spec's media type), and any alternative media. */
function success(spec: RouteSpec) {
  if (spec.status === 204) return { description: 'Done, no body' };
  const content: Record<string, unknown> = {};
  const main = spec.contentType ?? 'application/json';
  // A download without a schema is bytes: an empty schema says "any content".
  content[main] = { schema: spec.response ? toSchema(spec.response, 'output') : {} };
  for (const [media, schema] of Object.entries(spec.alsoAs ?? {}))
    content[media] = { schema: toSchema(schema, 'output') };
  return { description: 'Success', content };
}

/** What a status means on this route (400 has two causes; the osTicket routes word their own). */
function statusText(spec: RouteSpec, code: number): string {
  const own = spec.errorText?.[code];
  if (own) return own;
  if (code !== 400) return STATUS_TEXT[code] ?? 'Error';
  const causes = [
    ...(BODY_METHODS.has(spec.method)
      ? ['the body is not valid JSON or nests deeper than 32 levels (`invalid_json`, `json_too_deep`)']
      : []),
    ...(spec.params ? ['a path parameter is not valid percent-encoding (`bad_url`)'] : []),
  ];
  return causes.length ? `Bad request: ${causes.join(', or ')}` : 'Bad request';
}

function responses(spec: RouteSpec) {
  const out: Record<string, unknown> = spec.refusesAll ? {} : { [String(spec.status ?? 200)]: success(spec) };
  const errorContent = spec.plainErrors
    ? { 'text/plain': { schema: { type: 'string' } } }
    : { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  for (const code of errorStatuses(spec)) {
    out[String(code)] = {
      description: statusText(spec, code),
      ...(code === 429 || code === 503 ? { headers: RETRY_AFTER } : {}),
      content: errorContent,
    };
  }
  return out;
}

function requestBody(spec: RouteSpec) {
  if (!spec.body) return {};
  // Optional when an empty body is valid: the edge reads a missing body as {}.
  const required = spec.bodyContentType !== undefined || !spec.body.safeParse({}).success;
  const media = spec.bodyContentType ?? 'application/json';
  return { requestBody: { required, content: { [media]: { schema: toSchema(spec.body, 'input') } } } };
}

function operation(spec: RouteSpec) {
  return {
    summary: spec.summary,
    tags: spec.tags,
    operationId: `${spec.method.toLowerCase()}${pathOf(spec.url).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    // Public routes take credentials when given (a key's scope, a customer's session) but need none.
    ...(spec.access === 'public' ? { security: [{}, ...SECURITY] } : {}),
    parameters: parameters(spec),
    ...requestBody(spec),
    responses: responses(spec),
  };
}

const SECURITY = [{ bearer: [] }, { apiKey: [] }, { session: [] }];

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
        'The whole help desk over HTTP. Authenticate with an API key (`Authorization: Bearer <key>` or `X-API-Key`) or a session cookie from `POST /api/v1/session` (writes then need the `X-CSRF-Token` header). Errors are `{"error": {"code", "message", "details"}}` with stable codes, listed below (and as the `ErrorCode` schema). Every status an operation can answer is listed with its media type.\n\n## Error codes\n\n' +
        catalogTable(),
    },
    servers: [{ url: serverUrl }],
    security: SECURITY,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        session: { type: 'apiKey', in: 'cookie', name: 'deskline_session' },
      },
      schemas: errorSchemas(),
    },
  };
}
