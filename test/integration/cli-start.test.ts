import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dialects, PG_URL } from '../support/db.ts';
import { freePort, inSchema } from '../support/server.ts';

// The first minute of a new user's desk (issue 17, items 1 and 2): `deskline
// start` on a fresh database, a ticket posted by department name the moment
// the welcome line shows, /readyz 503 until then, and Karen's portal ticket
// acknowledged by mail because the demo seed sent none.

const bin = path.resolve('bin/deskline.js');
const WELCOME = 'Stop with Ctrl+C';

interface Reply {
  status: number;
  body: string;
}

async function call(url: string, init: RequestInit = {}): Promise<Reply | undefined> {
  try {
    const res = await fetch(url, init);
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined; // not listening yet
  }
}

/** A fresh desk's environment: an empty SQLite data directory, or an empty PostgreSQL schema. */
async function freshEnv(dialect: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-start-'));
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env: Record<string, string | undefined> = {
    ...inherited,
    DESKLINE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  };
  let dropSchema = async () => undefined;
  if (dialect === 'postgres') {
    const schema = `t_start_${crypto.randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    env.DATABASE_URL = inSchema(PG_URL, schema);
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    };
  }
  return {
    env,
    async cleanup() {
      await dropSchema();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A session's cookie and CSRF token, signed in through the API as the web app does. */
async function signIn(base: string, url: string, email: string, password: string) {
  const res = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('deskline_session='))!
    .split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

describe.each(dialects)('deskline start on a fresh %s desk', (dialect) => {
  it('takes a ticket by department name the moment it says it runs; /readyz is 503 until then; Karen is acknowledged', async () => {
    const { env, cleanup } = await freshEnv(dialect);
    // An API key made before the first start, as a script's owner would (the CLI migrates the empty database).
    const made = spawnSync(process.execPath, [bin, 'apikey', 'create', '--name', 'intake'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(made.status).toBe(0);
    const key = made.stdout.trim().split('\n').at(-1)!;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // The SMTP listener runs, as `npm start` runs it: it reads the desk's settings as it starts.
    const child = spawn(process.execPath, [bin, 'start'], {
      env: { ...env, PORT: String(port), SMTP_LISTEN_PORT: String(await freePort()) },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const v1 = (department: string) =>
      call(`${base}/api/v1/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          subject: 'Printer on fire',
          body: 'The printer on floor 2 is smoking.',
          requester: { email: 'pat@example.com', name: 'Pat' },
          department,
        }),
      });
    const osTicket = () =>
      call(`${base}/api/tickets.json`, {
        method: 'POST',
        headers: { 'x-api-key': key },
        body: JSON.stringify({
          name: 'Pat',
          email: 'pat@example.com',
          subject: 'Down',
          message: 'Mail is down',
        }),
      });
    try {
      // While it starts: /readyz 503, and a ticket is "try again" (503), never a 404 or a 500.
      const early: number[] = [];
      let heldBack: Reply | undefined;
      while (!out.includes(WELCOME)) {
        if (child.exitCode !== null) throw new Error(`deskline start exited:\n${out}`);
        const ready = await call(`${base}/readyz`);
        if (ready?.status === 503) {
          early.push(503);
          heldBack ??= await v1('Support');
        } else if (ready) break; // ready: the welcome line is on its way
        await new Promise((r) => setTimeout(r, 25));
      }
      for (let i = 0; i < 12_000 && !out.includes(WELCOME); i++) await new Promise((r) => setTimeout(r, 5));
      // The moment the welcome line is printed.
      const [byName, compat] = await Promise.all([v1('Support'), osTicket()]);
      expect(out).toContain('Deskline is running at');
      expect([byName?.status, byName?.body]).toEqual([
        201,
        expect.stringContaining('"department":"Support"'),
      ]);
      expect([compat?.status, compat?.body]).toEqual([201, expect.stringMatching(/^\d+$/)]);
      expect(early.length).toBeGreaterThan(0);
      expect(heldBack?.status).toBe(503);
      expect(JSON.parse(heldBack!.body).error.code).toBe('not_ready');
      expect((await call(`${base}/readyz`))?.status).toBe(200);

      // Karen opens her outage in the portal: she gets the acknowledgement.
      const karen = await signIn(base, '/api/v1/portal/session', 'karen@example.com', 'deskline-customer');
      const opened = await fetch(`${base}/api/v1/tickets`, {
        method: 'POST',
        headers: karen,
        body: JSON.stringify({
          subject: 'Mobile online banking is down',
          body: 'Customers cannot log in to mobile banking since 9:00.',
          helpTopic: 'Business Critical Outage',
          source: 'web',
          requester: { email: 'karen@example.com' },
        }),
      });
      expect(opened.status).toBe(201);
      const { number } = (await opened.json()) as { number: string };
      const admin = await signIn(base, '/api/v1/session', 'admin@deskline.local', 'deskline-admin');
      type Mail = { ticket: string | null; to: string; kind: string | null; status: string };
      const outbox = async () =>
        (
          (await (await fetch(`${base}/api/v1/mail/outbox?limit=100`, { headers: admin })).json()) as {
            items: Mail[];
          }
        ).items;
      let ack: Mail | undefined;
      for (let i = 0; i < 200 && !ack; i++) {
        ack = (await outbox()).find((m) => m.ticket === number && m.to === 'karen@example.com');
        if (!ack) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ack).toMatchObject({ kind: 'auto', status: 'logged' });
      // The demo's history sent nothing: every customer mail is about a ticket opened just now.
      const customers = (await outbox()).filter((m) => !m.to.endsWith('@deskline.local'));
      expect(customers.filter((m) => m.to === 'karen@example.com')).toEqual([ack]);
      expect(customers.every((m) => m.to === 'pat@example.com' || m.ticket === number)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      await cleanup();
    }
  }, 120_000);
});
