import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DbHandle, Dialect } from '../../src/db/database.ts';
import { describeEachDialect, PG_URL } from '../support/db.ts';
import { intakeCounts, osTicketAlert } from '../support/compat.ts';
import { T0 } from '../support/factories.ts';
import { PASSWORDS, startHarness, type Harness } from '../support/http.ts';
import type { OpenApiDoc } from '../support/contract.ts';

// osTicket's error statuses, in plain text, and nothing written: the automail
// scripts turn 400 into a permanent bounce, 401/403 into "refused", and 500 or
// 503 into "try again later", so each status must mean what osTicket means.

const json = (over: Record<string, unknown> = {}) => JSON.stringify(osTicketAlert(over));

describeEachDialect('osTicket intake errors', (handle, dialect) => {
  let api: Harness;
  let key: string;
  const post = (url: string, payload: string | Buffer, headers: Record<string, string> = {}) =>
    api.postRaw(url, payload, 'application/x-www-form-urlencoded', { 'x-api-key': key, ...headers });

  beforeAll(async () => {
    api = await startHarness(handle().db);
    key = (await api.withKey({ name: 'forms' })).key;
  });
  afterAll(() => api.close());

  it('400 for malformed bodies and unsupported formats, 500 for invalid fields; nothing written', async () => {
    const before = await intakeCounts(api.desk.db);
    const exe = { 'setup.exe': 'data:application/octet-stream;base64,TVo=' };
    const cases: [string, string, number, string][] = [
      ['/api/tickets.json', '{not json', 400, 'Invalid JSON body'],
      ['/api/tickets.json', '[1, 2]', 400, 'Expected a JSON object'],
      ['/api/tickets.json', '', 400, 'Invalid JSON body'],
      ['/api/tickets.json', json({ attachments: { 'a.txt': 'x' } }), 400, 'attachments must be an array'],
      [
        '/api/tickets.json',
        json({ attachments: [{ 'a.txt': 'data:text/plain;base64,@@@' }] }),
        400,
        'Attachment data is not valid base64 or a data URL',
      ],
      [
        '/api/tickets.json',
        json({ attachments: [{ 'a.txt': 'data:text/plain;base64' }] }),
        400,
        'Attachment data URL has no "," before its data',
      ],
      [
        '/api/tickets.json',
        json({ attachments: [exe] }),
        400,
        'setup.exe: executable files are not accepted',
      ],
      [
        '/api/tickets.json',
        json({ message: 'data:text/html;base64,%%%' }),
        400,
        'message is not a valid data URL',
      ],
      ['/api/tickets.xml', '<ticket><name>', 400, 'Invalid XML body'],
      ['/api/tickets.xml', '<other/>', 400, 'Expected a <ticket> document'],
      [
        '/api/tickets.xml',
        '<!DOCTYPE t [<!ENTITY a "aaaa">]><ticket><name>&a;</name></ticket>',
        400,
        'DOCTYPE is not allowed',
      ],
      ['/api/tickets.email', '', 400, 'Empty message'],
      ['/api/tickets.email', 'Subject: no sender\r\n\r\nbody', 400, 'The message has no From address'],
      [
        '/api/tickets.yaml',
        'name: x',
        400,
        'Unsupported format: use tickets.json, tickets.xml or tickets.email',
      ],
      ['/api/tickets.json', json({ subject: '' }), 500, 'Required field(s) missing: subject'],
      [
        '/api/tickets.json',
        JSON.stringify({ name: 'x' }),
        500,
        'Required field(s) missing: email, subject, message',
      ],
      [
        '/api/tickets.json',
        json({ email: 'not-an-address' }),
        500,
        'requester.email: not a valid email address',
      ],
      ['/api/tickets.json', json({ topicId: 999999 }), 500, 'help topic not found'],
      ['/api/tickets.json', json({ priority: 'Whenever' }), 500, 'priority not found'],
      [
        '/api/tickets.json',
        json({ duedate: 'next tuesday-ish' }),
        500,
        'duedate is not a date: next tuesday-ish',
      ],
      [
        '/api/tickets.json',
        json({ subject: 'x'.repeat(300) }),
        500,
        'subject: Too big: expected string to have <=255 characters',
      ],
      [
        '/api/tickets.xml',
        '<ticket><name>x</name></ticket>',
        500,
        'Required field(s) missing: email, subject, message',
      ],
    ];
    for (const [url, body, status, message] of cases) {
      const res = await post(url, body);
      expect([url, body.slice(0, 60), res.status, res.body]).toEqual([
        url,
        body.slice(0, 60),
        status,
        message,
      ]);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.json).toBeUndefined();
    }
    expect(await intakeCounts(api.desk.db)).toEqual(before);
  });

  it('401 without a valid key, from a wrong address, or without the create scope; nothing written', async () => {
    const before = await intakeCounts(api.desk.db);
    const session = await api.login('jane@deskline.local', PASSWORDS.agent);
    const readOnly = await api.withKey({ name: 'reader', scopes: ['tickets:read'] });
    const elsewhere = await api.withKey({ name: 'office only', cidrs: ['10.20.0.0/16'] });
    const revoked = await api.withKey({ name: 'old' });
    await api.desk.db
      .updateTable('api_keys')
      .set({ revoked_at: T0 })
      .where('id', '=', revoked.keyId)
      .execute();
    const attempts: Record<string, string>[] = [
      { 'x-api-key': '' },
      { 'x-api-key': 'F'.repeat(32) },
      { 'x-api-key': '', authorization: 'Basic Zm9vOmJhcg==' },
      { 'x-api-key': '', cookie: session.cookie, 'x-csrf-token': session.csrf },
      { 'x-api-key': readOnly.key },
      { 'x-api-key': elsewhere.key },
      { 'x-api-key': revoked.key },
    ];
    for (const headers of attempts) {
      for (const format of ['json', 'email']) {
        const res = await post(`/api/tickets.${format}`, json(), headers);
        expect([headers, format, res.status]).toEqual([headers, format, 401]);
        expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      }
    }
    expect(await intakeCounts(api.desk.db)).toEqual(before);
  });

  it('403 for a banned address; nothing written', async () => {
    expect((await post('/api/tickets.json', json({ email: 'spammer@example.com' }))).status).toBe(201);
    await api.desk.db
      .updateTable('customers')
      .set({ is_banned: 1 })
      .where('email', '=', 'spammer@example.com')
      .execute();
    const before = await intakeCounts(api.desk.db);
    const res = await post('/api/tickets.json', json({ email: 'Spammer@Example.com' }));
    const mail = await post('/api/tickets.email', 'From: spammer@example.com\r\nSubject: buy\r\n\r\nnow');
    expect([res.status, mail.status, res.headers['content-type']]).toEqual([
      403,
      403,
      'text/plain; charset=utf-8',
    ]);
    expect(await intakeCounts(api.desk.db)).toEqual(before);
  });

  it('413 for a body over the limit, and for a file over the per-file limit', async () => {
    const before = await intakeCounts(api.desk.db);
    const big = await post('/api/tickets.json', Buffer.alloc(26 * 1024 * 1024, 32));
    expect([big.status, big.headers['content-type']]).toEqual([413, 'text/plain; charset=utf-8']);
    api.desk.deps.files!.maxBytes = 1024;
    try {
      const res = await post(
        '/api/tickets.json',
        json({ attachments: [{ 'big.log': `data:text/plain,${'x'.repeat(2048)}` }] }),
      );
      expect(res.status).toBe(413);
    } finally {
      delete api.desk.deps.files!.maxBytes;
    }
    expect(await intakeCounts(api.desk.db)).toEqual(before);
  });

  it('429 with Retry-After once a key exceeds its intake rate', async () => {
    await api.withRateLimits({ intakePerKey: 2 }, async () => {
      const flood = await api.withKey({ name: 'flood' });
      const send = () => post('/api/tickets.json', json(), { 'x-api-key': flood.key });
      expect([(await send()).status, (await send()).status]).toEqual([201, 201]);
      const limited = await send();
      expect([limited.status, limited.headers['content-type']]).toEqual([429, 'text/plain; charset=utf-8']);
      expect(limited.headers['retry-after']).toBe('60'); // a minute's window; the harness's clock stands still
      // Another key has its own budget.
      expect((await post('/api/tickets.json', json())).status).toBe(201);
    });
  });

  it('503, never 4xx, when the database is busy, so an MTA retries; nothing written', async () => {
    const before = await intakeCounts(api.desk.db);
    const release = await holdWriteLock(dialect, handle());
    try {
      const res = await post('/api/tickets.email', 'From: pat@example.com\r\nSubject: later\r\n\r\nhi');
      expect([res.status, res.headers['content-type']]).toEqual([503, 'text/plain; charset=utf-8']);
    } finally {
      await release();
    }
    expect(await intakeCounts(api.desk.db)).toEqual(before);
    expect((await post('/api/tickets.email', 'From: pat@example.com\r\nSubject: now\r\n\r\nhi')).status).toBe(
      201,
    );
  }, 20_000);

  it('documents the three routes, and the answer to any other format, as plain text', async () => {
    const doc = (await api.anonymous.get('/api/openapi.json')).json as OpenApiDoc;
    for (const format of ['json', 'xml', 'email']) {
      const op = doc.paths[`/api/tickets.${format}`]!.post!;
      expect(Object.keys(op.responses['201']!.content!)).toEqual(['text/plain']);
      expect(Object.keys(op.responses['400']!.content!)).toEqual(['text/plain']);
    }
    expect(
      doc.paths['/api/tickets.json']!.post!.requestBody!.content['application/json']!.schema!.required,
    ).toEqual(['email', 'name', 'subject', 'message']);
    const other = doc.paths['/api/tickets.{format}']!.post!;
    expect(Object.keys(other.responses['400']!.content!)).toEqual(['text/plain']);
  });
});

/**
 * Another connection takes the write lock. SQLite: the desk waits out its busy
 * timeout and gets SQLITE_BUSY. PostgreSQL: the desk's statement waits on the
 * lock and is cancelled, as an administrator or a failover would.
 */
async function holdWriteLock(dialect: Dialect, handle: DbHandle): Promise<() => Promise<void>> {
  if (dialect === 'sqlite') {
    const other = new Sqlite(handle.file!);
    other.exec('begin immediate');
    return async () => {
      other.exec('rollback');
      other.close();
    };
  }
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db);
  const other = new pg.Client({ connectionString: PG_URL });
  await other.connect();
  await other.query('begin');
  await other.query(`lock table ${rows[0]!.schema}.tickets in access exclusive mode`);
  let done = false;
  // Cancel whatever the lock holds up (only the desk's own statements wait on this connection).
  const canceller = (async () => {
    while (!done) {
      await other.query(
        'select pg_cancel_backend(pid) from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))',
      );
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => {
    done = true;
    await canceller;
    await other.query('rollback');
    await other.end();
  };
}
