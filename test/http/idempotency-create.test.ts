import { afterAll, beforeAll, expect, it } from 'vitest';
import { pruneClaims } from '../../src/modules/tickets/tickets.idempotency.repository.ts';
import { describeEachDialect } from '../support/db.ts';
import { osTicketAlert } from '../support/compat.ts';
import { T0 } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness } from '../support/http.ts';
import { TicketOut } from '../../src/contract/tickets.contract.ts';

// Idempotency-Key on ticket creation: a retry gets the first answer, exactly
// one ticket exists, and a key cannot be reused for another request.

const HOUR = 60 * 60 * 1000;

describeEachDialect('Idempotency-Key on ticket creation', (handle) => {
  let api: Harness;
  const ticketsWith = async (subject: string) =>
    (await api.desk.db.selectFrom('tickets').select('number').where('subject', '=', subject).execute()).map(
      (t) => t.number,
    );
  const claimsFor = (key: string) =>
    api.desk.db.selectFrom('idempotency_keys').select(['scope', 'status']).where('key', '=', key).execute();

  beforeAll(async () => {
    api = await startHarness(handle().db);
  });
  afterAll(() => api.close());

  it('native API: a retry gets the same ticket and status, marked as replayed; one row', async () => {
    const client = await api.withKey({ name: 'crm' });
    const body = { subject: 'Native retry', body: 'x', requester: { email: 'n@example.com' } };
    const a = await client.post('/api/v1/tickets', body, { 'idempotency-key': 'crm-1' });
    const b = await client.post('/api/v1/tickets', body, { 'idempotency-key': 'crm-1' });
    expect([a.status, a.headers['idempotent-replayed']]).toEqual([201, undefined]);
    expect([b.status, b.headers['idempotent-replayed']]).toEqual([201, 'true']);
    expect(b.json).toEqual(a.json);
    expect(await ticketsWith('Native retry')).toEqual([a.as(TicketOut).number]);
    expect(await claimsFor('crm-1')).toEqual([{ scope: `key:${client.keyId}`, status: 201 }]);
  });

  it('native API: the same key with another body is 422 idempotency_key_reused, and writes nothing', async () => {
    const client = await api.withKey({ name: 'crm' });
    const body = { subject: 'Reused key', body: 'x', requester: { email: 'r@example.com' } };
    expect((await client.post('/api/v1/tickets', body, { 'idempotency-key': 'k' })).status).toBe(201);
    const other = await client.post(
      '/api/v1/tickets',
      { ...body, subject: 'Other subject' },
      { 'idempotency-key': 'k' },
    );
    expect([other.status, other.error().code]).toEqual([422, 'idempotency_key_reused']);
    expect(await ticketsWith('Other subject')).toEqual([]);
  });

  it('keys belong to their caller: another key, agent, customer or address gets its own ticket', async () => {
    const body = { subject: 'Scoped key', body: 'x', requester: { email: 's@example.com' } };
    const headers = { 'idempotency-key': 'shared-key' };
    const one = await (await api.withKey({ name: 'one' })).post('/api/v1/tickets', body, headers);
    const two = await (await api.withKey({ name: 'two' })).post('/api/v1/tickets', body, headers);
    const jane = await api.login('jane@deskline.local', PASSWORDS.agent);
    const viaJane = await jane.post('/api/v1/tickets', body, headers);
    const karen = await api.login('karen@example.com', PASSWORDS.customer, 'customer');
    const viaKaren = await karen.post('/api/v1/tickets', body, headers);
    const anonymous = await api.anonymous.post('/api/v1/tickets', body, headers);
    const anonymousAgain = await api.anonymous.post('/api/v1/tickets', body, headers);
    const numbers = [one, two, viaJane, viaKaren, anonymous].map((r) => r.as(TicketOut).number);
    expect(new Set(numbers).size).toBe(5);
    expect([anonymousAgain.as(TicketOut).number, anonymousAgain.headers['idempotent-replayed']]).toEqual([
      anonymous.as(TicketOut).number,
      'true',
    ]);
    const scopes = (await claimsFor('shared-key'))
      .map((c) => c.scope.replace(/^(key|actor:\w+):\d+$/, '$1:N'))
      .sort();
    expect(scopes).toEqual(['actor:agent:N', 'actor:customer:N', 'ip:127.0.0.1', 'key:N', 'key:N']);
  });

  it('a request that failed claimed nothing: the retry with the same key goes through', async () => {
    const client = await api.withKey({ name: 'crm' });
    const headers = { 'idempotency-key': 'after-failure' };
    const bad = await client.post(
      '/api/v1/tickets',
      { subject: 'After failure', body: 'x', requester: { email: 'f@example.com' }, helpTopic: 999999 },
      headers,
    );
    expect(bad.status).toBe(404);
    expect(await claimsFor('after-failure')).toEqual([]);
    const good = await client.post(
      '/api/v1/tickets',
      { subject: 'After failure', body: 'x', requester: { email: 'f@example.com' } },
      headers,
    );
    expect([good.status, good.headers['idempotent-replayed']]).toEqual([201, undefined]);
  });

  it('rejects keys that are empty, too long or not visible ASCII', async () => {
    const client = await api.withKey({ name: 'crm' });
    const body = { subject: 'Bad key', body: 'x', requester: { email: 'b@example.com' } };
    for (const key of ['', 'a'.repeat(256), 'has space', 'tab\there', 'ключ']) {
      const res = await client.post('/api/v1/tickets', body, { 'idempotency-key': key });
      expect([key, res.status, res.error().code]).toEqual([key, 422, 'idempotency_key_invalid']);
    }
    expect((await client.post('/api/v1/tickets', body, { 'idempotency-key': 'a'.repeat(255) })).status).toBe(
      201,
    );
  });

  it('native API: five concurrent requests with one key create one ticket and all answer it', async () => {
    const client = await api.withKey({ name: 'racer' });
    const body = { subject: 'Native race', body: 'x', requester: { email: 'race@example.com' } };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => client.post('/api/v1/tickets', body, { 'idempotency-key': 'race' })),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((r) => r.as(TicketOut).number)).size).toBe(1);
    expect(answers.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(await ticketsWith('Native race')).toHaveLength(1);
  });

  it('osTicket intake: replay gives the same number and one row; another body is 422', async () => {
    const { key } = await api.withKey({ name: 'monitoring' });
    const post = (body: unknown, k: string) =>
      api.postRaw('/api/tickets.json', JSON.stringify(body), undefined, {
        'x-api-key': key,
        'idempotency-key': k,
      });
    const body = osTicketAlert({ subject: 'Compat retry' });
    const first = await post(body, 'alert-42');
    const again = await post(body, 'alert-42');
    expect([first.status, again.status, again.body, again.headers['idempotent-replayed']]).toEqual([
      201,
      201,
      first.body,
      'true',
    ]);
    expect(await ticketsWith('Compat retry')).toEqual([first.body]);
    const other = await post(osTicketAlert({ subject: 'Compat other' }), 'alert-42');
    expect([other.status, other.headers['content-type']]).toEqual([422, 'text/plain; charset=utf-8']);
    expect(await ticketsWith('Compat other')).toEqual([]);
  });

  it('osTicket intake: five concurrent identical requests create one ticket', async () => {
    const { key } = await api.withKey({ name: 'mta' });
    const raw =
      'From: racer@example.com\r\nSubject: Compat race\r\nMessage-ID: <race@example.com>\r\n\r\nHello';
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.postRaw('/api/tickets.email', raw, 'message/rfc822', {
          'x-api-key': key,
          'idempotency-key': '<race@example.com>',
        }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((r) => r.body)).size).toBe(1);
    expect(await ticketsWith('Compat race')).toEqual([answers[0]!.body]);
  });

  it('claims older than 24 hours can be pruned; newer ones stay', async () => {
    const now = T0 + 1000 * HOUR;
    await api.desk.db
      .insertInto('idempotency_keys')
      .values([
        {
          scope: 'key:0',
          key: 'old',
          request_hash: 'h',
          status: 201,
          body: '{}',
          created_at: now - 25 * HOUR,
        },
        {
          scope: 'key:0',
          key: 'new',
          request_hash: 'h',
          status: 201,
          body: '{}',
          created_at: now - 23 * HOUR,
        },
      ])
      .execute();
    const pruned = await pruneClaims(api.desk.db, now);
    expect(pruned).toBe(12);
    const left = await api.desk.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('scope', '=', 'key:0')
      .execute();
    expect(left.map((r) => r.key)).toEqual(['new']);
  });
});
