import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { HttpContext } from '../../src/http/context.ts';
import { registerErrorHandling } from '../../src/http/errors.ts';
import { route } from '../../src/http/route.ts';
import { ERROR_CODES } from '../../src/contract/errors.ts';
import type { OpenApiDoc } from '../support/contract.ts';
import { describeEachDialect } from '../support/db.ts';
import { startHarness, type Harness } from '../support/http.ts';

// Issue 18: in tests and development every JSON success answer is parsed with its
// route's response schema; an answer the schema does not allow is a 500
// `response_invalid`, logged with zod's issues. (The whole http suite runs with
// this on, so every real route's answers are checked too.)

const Answer = z.object({ id: z.number().int(), name: z.string() });

/** A bare app with one public route answering `body`, and the log lines it wrote. */
async function appAnswering(body: unknown) {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
  const app = Fastify({ logger: { level: 'error', stream } });
  await app.register(cookie);
  registerErrorHandling(app);
  // A public route reads only these two (no credentials are sent, so nothing authenticates).
  const ctx = { app, routes: [] } as Pick<HttpContext, 'app' | 'routes'> as HttpContext;
  route(
    ctx,
    { method: 'GET', url: '/thing', summary: 'A thing', tags: [], access: 'public', response: Answer },
    async () => body,
  );
  await app.ready();
  return { app, lines };
}

describe('response validation', () => {
  let app: FastifyInstance | undefined;
  const env = process.env.NODE_ENV;
  afterEach(async () => {
    process.env.NODE_ENV = env;
    await app?.close();
  });

  it('answers what the schema allows unchanged', async () => {
    const made = await appAnswering({ id: 7, name: 'Seven' });
    app = made.app;
    const res = await app.inject({ method: 'GET', url: '/thing' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 7, name: 'Seven' });
    expect(made.lines).toEqual([]);
  });

  it('turns an answer its schema does not allow into 500 response_invalid, logged with the issues', async () => {
    const made = await appAnswering({ id: 'seven', name: 'Seven' });
    app = made.app;
    const res = await app.inject({ method: 'GET', url: '/thing' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: {
        code: 'response_invalid',
        message: 'The server answered something its API contract does not allow',
      },
    });
    const logged = made.lines.find((l) => l.msg === 'response does not match its schema');
    expect(logged).toMatchObject({
      route: 'GET /thing',
      issues: [{ code: 'invalid_type', expected: 'number', path: ['id'] }],
    });
  });

  it.each(['production', undefined])('checks nothing when NODE_ENV is %s', async (mode) => {
    if (mode === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = mode;
    const made = await appAnswering({ id: 'seven', name: 'Seven' });
    app = made.app;
    const res = await app.inject({ method: 'GET', url: '/thing' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'seven', name: 'Seven' });
  });

  it('checks in development', async () => {
    process.env.NODE_ENV = 'development';
    const made = await appAnswering({ id: 'seven', name: 'Seven' });
    app = made.app;
    expect((await app.inject({ method: 'GET', url: '/thing' })).statusCode).toBe(500);
  });
});

describeEachDialect('the served routes', (handle) => {
  let api: Harness;
  let doc: OpenApiDoc;
  beforeAll(async () => {
    api = await startHarness(handle().db);
    doc = (await api.anonymous.get('/api/openapi.json')).json as OpenApiDoc;
  });
  afterAll(() => api.close());

  it('document a schema for every JSON success answer (so every one is checked)', () => {
    const bare: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(
        ops as Record<string, { responses: Record<string, unknown> }>,
      ))
        for (const [status, answer] of Object.entries(op.responses)) {
          const json = (answer as { content?: Record<string, { schema: object }> }).content?.[
            'application/json'
          ];
          if (status.startsWith('2') && json && Object.keys(json.schema).length === 0)
            bare.push(`${method.toUpperCase()} ${path}`);
        }
    expect(bare).toEqual([]);
  });

  it('list the error-code catalog: the ErrorCode enum the error body refers to', () => {
    const schemas = doc.components.schemas as Record<string, { enum?: string[]; properties?: object }>;
    expect(schemas.ErrorCode!.enum).toEqual(ERROR_CODES);
    expect(schemas.Error!.properties).toMatchObject({
      error: { properties: { code: { $ref: '#/components/schemas/ErrorCode' } } },
    });
  });
});
