import { afterAll, beforeAll, expect, it } from 'vitest';
import { MINUTE } from '../../src/lib/clock.ts';
import { EXAMPLES } from '../../src/http/openapi.examples.ts';
import { DOCS_POLICY } from '../../src/http/security-headers.ts';
import { Judge, operationsOf, type OpenApiDoc } from '../support/contract.ts';
import { describeEachDialect } from '../support/db.ts';
import type { JsonSchema } from '../support/json-arbitrary.ts';
import { PASSWORDS, startHarness, type Harness } from '../support/http.ts';
import { SessionOut } from '../../src/contract/auth.contract.ts';

// Issue 18: the API reference. /api/docs is Swagger UI served from the npm
// package with no inline code; the document carries worked examples of the
// main calls, which fit their schemas and are answered as documented.
// (test/e2e/api-docs.test.ts drives the page in Chromium.)

describeEachDialect('the API reference', (handle) => {
  let api: Harness;
  let doc: OpenApiDoc;
  beforeAll(async () => {
    api = await startHarness(handle().db);
    doc = (await api.anonymous.get('/api/openapi.json')).json as OpenApiDoc;
  });
  afterAll(() => api.close());

  it('the page loads only the desk’s own files, kept by browsers for good; nothing inline', async () => {
    const page = await api.anonymous.get('/api/docs');
    expect([page.status, page.headers['content-type'], page.headers['content-security-policy']]).toEqual([
      200,
      'text/html; charset=utf-8',
      DOCS_POLICY,
    ]);
    expect(page.body).toContain('<a href="/api/openapi.json">');
    expect(page.body).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/);
    const files = [...page.body.matchAll(/(?:src|href)="(\/docs-assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(files.map((f) => f.replace(/^\/docs-assets\/[0-9a-f]{12}\//, ''))).toEqual([
      'swagger-ui.css',
      'docs-viewer.client.css',
      'swagger-ui-bundle.js',
      'docs-viewer.client.js',
    ]);
    for (const file of files) {
      const res = await api.anonymous.get(file);
      expect([file, res.status, res.headers['content-type'], res.headers['cache-control']]).toEqual([
        file,
        200,
        file.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
        'public, max-age=31536000, immutable',
      ]);
    }
    const base = files[0]!.slice(0, files[0]!.lastIndexOf('/'));
    for (const other of ['index.html', 'package.json', '..%2Fpackage.json', 'swagger-ui.js.map'])
      expect([other, (await api.anonymous.get(`${base}/${other}`)).status]).toEqual([other, 404]);
    expect((await api.anonymous.get('/docs-assets/000000000000/swagger-ui.css')).status).toBe(404);
  });

  it('the main calls carry examples that fit their schemas', async () => {
    const judge = new Judge(doc);
    const ops = new Map(operationsOf(doc).map((o) => [`${o.method.toLowerCase()} ${o.path}`, o]));
    expect(Object.keys(EXAMPLES).filter((k) => !ops.has(k))).toEqual([]);
    for (const [key, ex] of Object.entries(EXAMPLES)) {
      const op = ops.get(key)!;
      for (const p of op.doc.parameters ?? [])
        if (ex.parameters && p.name in ex.parameters) {
          expect([key, p.name, (p as { example?: unknown }).example]).toEqual([
            key,
            p.name,
            ex.parameters[p.name],
          ]);
          expect([key, p.name, judge.fits(p.schema, ex.parameters[p.name])]).toEqual([key, p.name, true]);
        }
      const body = op.doc.requestBody?.content['application/json'] as {
        schema: JsonSchema;
        example?: unknown;
      };
      if (ex.request !== undefined) {
        expect([key, body.example]).toEqual([key, ex.request]);
        expect([key, judge.fits(body.schema, ex.request)]).toEqual([key, true]);
      }
      const answer = op.doc.responses[ex.response!.status]!.content!['application/json'] as {
        schema: JsonSchema;
        example?: unknown;
      };
      expect([key, answer.example]).toEqual([key, ex.response!.value]);
      expect([key, judge.fits(answer.schema, ex.response!.value)]).toEqual([key, true]);
    }
  });

  it('the examples are answered as shown: sign in, open a ticket, reply, list the open queue', async () => {
    const signIn = EXAMPLES['post /api/v1/session']!;
    const session = await api.anonymous.post('/api/v1/session', signIn.request);
    expect(session.status).toBe(200);
    expect({ ...session.as(SessionOut), csrfToken: 'any' }).toEqual({
      ...(signIn.response!.value as object),
      csrfToken: 'any',
    });
    // A fresh desk at the harness's clock: the examples are its very answers.
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const create = EXAMPLES['post /api/v1/tickets']!;
    const created = await jane.post('/api/v1/tickets', create.request);
    expect([created.status, created.json]).toEqual([201, create.response!.value]);
    const list = EXAMPLES['get /api/v1/tickets']!;
    const queue = await jane.get(
      `/api/v1/tickets?${new URLSearchParams(list.parameters as Record<string, string>)}`,
    );
    expect([queue.status, queue.json]).toEqual([200, list.response!.value]);
    api.desk.clock.advance(5 * MINUTE);
    const reply = EXAMPLES['post /api/v1/tickets/{number}/replies']!;
    const replied = await jane.post(`/api/v1/tickets/${reply.parameters!.number}/replies`, reply.request);
    expect([replied.status, replied.json]).toEqual([201, reply.response!.value]);
  });
});
