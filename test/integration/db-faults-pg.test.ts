import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.ts';
import { createApiKey } from '../../src/modules/auth/apikeys.service.ts';
import { seedDesk } from '../support/factories.ts';
import { dialects, freshDatabase, PG_URL, type TestHandle } from '../support/db.ts';
import { sleep } from '../support/faults.ts';
import { newTally, postTicket, ticketClient, waitForStatus } from '../support/load-clients.ts';
import { smtpClient } from '../support/mail.ts';
import { freePort, inSchema, spawnServe } from '../support/server.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { testLog } from '../support/log.ts';

// Item 10/11 of issue 17: a real `deskline serve` whose PostgreSQL connections
// are terminated and cancelled under load, and one started while PostgreSQL
// refuses connections, then cut off and hung. Only this file's own server's
// connections are touched (its own application_name): other test files share
// the PostgreSQL server.

const FAST_TIMEOUTS = {
  DATABASE_CONNECT_TIMEOUT_MS: '2000',
  DATABASE_STATEMENT_TIMEOUT_MS: '5000',
  DATABASE_LOCK_TIMEOUT_MS: '2000',
};

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** Terminates (or cancels the statements of) every connection of one application_name; how many it hit. */
const hit = (c: pg.Client, fn: 'pg_terminate_backend' | 'pg_cancel_backend', app: string) =>
  c
    .query(
      `select ${fn}(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()`,
      [app],
    )
    .then((r) => r.rowCount ?? 0);

describe.runIf(dialects.includes('postgres'))('PostgreSQL connections terminated and cancelled', () => {
  const app = `dl_storm_${crypto.randomBytes(4).toString('hex')}`;
  let desk: TestHandle;
  let server: Awaited<ReturnType<typeof spawnServe>>;
  let key: string;

  beforeAll(async () => {
    desk = await freshDatabase('postgres');
    await seedDesk(desk.db);
    ({ key } = await createApiKey({ db: desk.db, clock: systemClock, log: testLog }, { name: 'storm' }));
    const url = `${inSchema(PG_URL, desk.schema!)}&application_name=${app}`;
    server = await spawnServe(url, FAST_TIMEOUTS, true);
    await waitForStatus(`${server.url}/readyz`, 200);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await desk?.close();
  });

  const alive = () =>
    expect([server.child.exitCode, server.child.signalCode], server.stderr()).toEqual([null, null]);

  it('survives losing its idle connections', async () => {
    await waitForStatus(`${server.url}/readyz`, 200);
    expect(await admin((c) => hit(c, 'pg_terminate_backend', app))).toBeGreaterThan(0);
    await sleep(500);
    alive();
    await waitForStatus(`${server.url}/readyz`, 200, 10_000);
    expect((await postTicket(server.url, key, 'after the idle loss')).status).toBe(201);
  });

  it('answers only 201 or 503 + Retry-After while 12 clients create tickets, loses nothing, recovers', async () => {
    const tally = newTally();
    let stopping = false;
    const clients = Array.from({ length: 12 }, (_, i) =>
      ticketClient(server.url, key, `storm ${app} client ${i}`, tally, () => stopping),
    );
    let hits = 0;
    await admin(async (c) => {
      await sleep(500);
      for (let round = 0, until = Date.now() + 6_000; Date.now() < until; round++) {
        hits += await hit(c, round % 3 === 2 ? 'pg_cancel_backend' : 'pg_terminate_backend', app);
        await sleep(120);
      }
    });
    await sleep(1_500); // the clients go on once the storm is over: recovery without a restart
    stopping = true;
    await Promise.all(clients);

    alive();
    expect(tally.failures).toEqual([]);
    expect(hits).toBeGreaterThan(20);
    expect(tally.unavailable).toBeGreaterThan(0);
    expect(tally.slowestMs).toBeLessThan(15_000);
    // Every ticket a client was told about exists, exactly once, under the number it was told.
    const rows = await desk.db
      .selectFrom('tickets')
      .select(['subject', 'number'])
      .where('subject', 'like', `storm ${app} %`)
      .execute();
    expect(rows.length).toBe(tally.created.length);
    expect(new Map(rows.map((r) => [r.subject, r.number]))).toEqual(
      new Map(tally.created.map((t) => [t.subject, t.number])),
    );
    await waitForStatus(`${server.url}/readyz`, 200, 10_000);
    expect((await postTicket(server.url, key, 'after the storm')).status).toBe(201);
  }, 60_000);
});

describe.runIf(dialects.includes('postgres'))('PostgreSQL refusing, cut off and hung', () => {
  let desk: TestHandle;
  let proxy: TcpProxy;
  let server: Awaited<ReturnType<typeof spawnServe>>;
  let databaseUrl: string;
  let smtpPort: number;

  beforeAll(async () => {
    desk = await freshDatabase('postgres');
    await seedDesk(desk.db);
    const target = new URL(PG_URL);
    proxy = new TcpProxy(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    target.host = `127.0.0.1:${proxy.port}`;
    databaseUrl = inSchema(target.toString(), desk.schema!);
    smtpPort = await freePort();
    // Nothing listens on the proxy's port yet: PostgreSQL "refuses connections".
    server = await spawnServe(databaseUrl, { ...FAST_TIMEOUTS, SMTP_LISTEN_PORT: String(smtpPort) }, true);
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await desk?.close();
  });

  const alive = () =>
    expect([server.child.exitCode, server.child.signalCode], server.stderr()).toEqual([null, null]);

  /** The anonymous portal's intake: 503 + Retry-After expected, within `ms`. */
  async function expectUnavailable(ms: number) {
    const started = Date.now();
    const res = await postTicket(server.url, undefined, 'while the database is away');
    expect([res.status, Number(res.retryAfter) > 0, res.text]).toEqual([503, true, expect.any(String)]);
    expect(JSON.parse(res.text).error.code).toBe('database_unavailable');
    expect(Date.now() - started).toBeLessThan(ms);
    await waitForStatus(`${server.url}/readyz`, 503, 5_000); // its last good answer may be reused for a second
  }

  it('starts while PostgreSQL refuses connections: waits, answers 503, then becomes ready', async () => {
    await waitForStatus(`${server.url}/healthz`, 200);
    await sleep(2_500); // several refused attempts
    alive();
    await expectUnavailable(3_000);
    await proxy.open();
    await waitForStatus(`${server.url}/readyz`, 200, 30_000);
    expect((await postTicket(server.url, undefined, 'once it is up')).status).toBe(201);
  }, 60_000);

  /** An MTA delivering to the SMTP listener is told to try again later. */
  async function expectSmtpTryLater() {
    const smtp = smtpClient(smtpPort);
    try {
      const sent = smtp.send({
        from: 'karen@example.com',
        to: 'support@deskline.local',
        subject: 'While the database is away',
        text: 'Please keep this.',
      });
      // 421 at the greeting (the listener could not read its settings) or 451 after DATA.
      const err = (await sent.then(
        () => undefined,
        (e: unknown) => e,
      )) as { responseCode?: number } | undefined;
      expect([421, 451]).toContain(err?.responseCode);
    } finally {
      smtp.close();
    }
  }

  /** `deskline mail pipe` as an MTA runs it: its exit code and how long it took. */
  function pipeMail(): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, [path.resolve('bin/deskline.js'), 'mail', 'pipe'], {
      env: { ...env, ...FAST_TIMEOUTS, DATABASE_URL: databaseUrl },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.stdin.end(
      'From: karen@example.com\r\nTo: support@deskline.local\r\nSubject: piped\r\n\r\nHello.\r\n',
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    return new Promise((resolve) =>
      child.on('exit', (code) => {
        clearTimeout(killer);
        resolve({ code, ms: Date.now() - started });
      }),
    );
  }

  it('rides out a database that goes away and comes back', async () => {
    const signIn = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'jane@deskline.local', password: 'deskline-agent' }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    await proxy.close(); // a restart: connections reset, new ones refused
    await expectUnavailable(3_000);
    // A signed-in agent is told to try again, not signed out (401).
    const queue = await fetch(`${server.url}/api/v1/tickets`, { headers: { cookie } });
    expect([queue.status, Number(queue.headers.get('retry-after')) > 0]).toEqual([503, true]);
    await expectSmtpTryLater();
    await proxy.hang(); // a stopped server or a dead network: nothing answers
    await expectUnavailable(12_000); // a pooled connection waits out the client-side query timeout (7 s here)
    await expectSmtpTryLater();
    const piped = await pipeMail();
    expect(piped.code).toBe(75);
    expect(piped.ms).toBeLessThan(20_000);
    alive();
    await proxy.open();
    await waitForStatus(`${server.url}/readyz`, 200, 30_000);
    expect((await postTicket(server.url, undefined, 'after the outage')).status).toBe(201);
  }, 60_000);
});
