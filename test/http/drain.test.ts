import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDraining } from '../../src/http/drain.ts';
import { describeEachDialect } from '../support/db.ts';
import { startHarness, type Harness } from '../support/http.ts';

// The HTTP half of a shutdown (issue 17, item 13): once the server drains,
// every request is refused before anything runs, in each channel's own error
// shape, with Retry-After. The whole shutdown runs in test/integration/shutdown.test.ts.

describeEachDialect('HTTP while the server drains', (handle) => {
  let api: Harness;
  beforeAll(async () => {
    api = await startHarness(handle().db);
  });
  afterAll(() => api?.app.close());

  it('refuses every request with 503 shutting_down and Retry-After, and creates nothing', async () => {
    const client = await api.withKey();
    const ticket = {
      subject: 'Printer',
      body: 'Jammed',
      requester: { email: 'ruth@customer.example' },
      department: 'Support',
    };
    expect((await client.post('/api/v1/tickets', ticket)).status).toBe(201);
    const before = await api.desk.db.selectFrom('tickets').select('id').execute();

    startDraining(api.app);
    const refused = await client.post('/api/v1/tickets', ticket);
    expect(refused.status).toBe(503);
    expect(refused.json).toEqual({
      error: { code: 'shutting_down', message: 'The server is shutting down; try again in a moment' },
    });
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers.connection).toBe('close');
    expect((await api.anonymous.get('/readyz')).status).toBe(503);
    // osTicket's intake answers in its own (plain text) way.
    const compat = await client.request('POST', '/api/tickets.json', {
      name: 'Ruth',
      email: 'ruth@customer.example',
      subject: 'Printer',
      message: 'Jammed',
    });
    expect(compat.status).toBe(503);
    expect(compat.headers['content-type']).toMatch(/^text\/plain/);
    expect(await api.desk.db.selectFrom('tickets').select('id').execute()).toEqual(before);
  });
});
