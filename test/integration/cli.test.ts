import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/modules/auth/auth.passwords.ts';
import { freePort } from '../support/server.ts';

// The `deskline` command as an operator runs it, against a throw-away data directory.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-cli-'));
const { DATABASE_URL: _ignored, ...inherited } = process.env;
const env = { ...inherited, DESKLINE_DATA_DIR: dataDir, SMTP_LISTEN_PORT: '0', LOG_LEVEL: 'silent' };
const bin = path.resolve('bin/deskline.js');

const deskline = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
};

/** A POST as osTicket's client scripts send it: no Content-Type, and an empty Expect header (which Node alone would refuse with 417). */
function rawPost(
  port: number,
  urlPath: string,
  key: string,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: 'POST',
        headers: { 'X-API-Key': key, Expect: '', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('deskline CLI', () => {
  // Each step starts the CLI (Node + tsx): generous limits for a loaded machine.
  it('migrates, seeds the demo desk once, and creates agents and API keys', () => {
    expect(deskline('migrate')).toMatchObject({ code: 0, out: 'Database is up to date (sqlite).' });
    expect(deskline('seed', '--demo').out).toBe('Demo desk seeded.');
    expect(deskline('seed', '--demo').out).toBe('Demo desk already present.');

    const agent = deskline(
      'agent',
      'create',
      '--email',
      'Sam@Example.com',
      '--name',
      'Sam Hill',
      '--password',
      'correct horse',
      '--department',
      'Billing',
    );
    expect(agent).toMatchObject({ code: 0 });
    expect(agent.out).toMatch(/^Created agent Sam Hill <sam@example.com>/);
    expect(
      deskline(
        'agent',
        'create',
        '--email',
        'sam@example.com',
        '--name',
        'Sam',
        '--password',
        'correct horse',
      ),
    ).toMatchObject({ code: 1, err: expect.stringContaining('agent_exists') });

    const created = deskline(
      'apikey',
      'create',
      '--name',
      'monitoring',
      '--agent',
      'jane@deskline.local',
      '--cidr',
      '10.0.0.0/8',
    );
    expect(created.code).toBe(0);
    const key = created.out.split('\n').at(-1)!;
    expect(key).toMatch(/^[0-9A-F]{32}$/);
    expect(deskline('apikey', 'create', '--name', 'bad', '--cidr', '10.0.0.0/99')).toMatchObject({
      code: 1,
      err: expect.stringContaining('validation_failed'),
    });

    const db = new Sqlite(path.join(dataDir, 'deskline.db'), { readonly: true });
    const row = db
      .prepare('select key_hash, cidrs, agent_id from api_keys where name = ?')
      .get('monitoring') as { key_hash: string; cidrs: string; agent_id: number };
    const tickets = db.prepare('select count(*) as n from tickets').get() as { n: number };
    db.close();
    expect(row.key_hash).toBe(sha256(key)); // only the hash is stored
    expect(JSON.parse(row.cidrs)).toEqual(['10.0.0.0/8']);
    expect(tickets.n).toBe(36);
  }, 90_000);

  it('start serves /healthz and /readyz and prints the URL and the demo logins', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'start'], { env: { ...env, PORT: String(port) } });
    try {
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      for (let i = 0; i < 300 && !out.includes('Stop with Ctrl+C'); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain(`Deskline is running at http://localhost:${port}`);
      for (const login of [
        'admin@deskline.local',
        'jane@deskline.local',
        'jerry@deskline.local',
        'karen@example.com',
        'deskline-customer',
      ]) {
        expect(out).toContain(login);
      }
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([
        200,
        { status: 'ready', database: 'ok', pendingMigrations: [] },
      ]);
      // The running desk over a real socket, as an osTicket client script and a new script would use it.
      const key = deskline('apikey', 'create', '--name', 'automail').out.split('\n').at(-1)!;
      const posted = await rawPost(
        port,
        '/api/tickets.json',
        key,
        JSON.stringify({
          name: 'Pat',
          email: 'pat@example.com',
          subject: 'Mail server down',
          message: 'Nothing arrives since 9:00',
        }),
      );
      expect(posted.status).toBe(201);
      expect(posted.body).toMatch(/^\d+$/);
      const read = await fetch(`http://127.0.0.1:${port}/api/v1/tickets/${posted.body}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(await read.json()).toMatchObject({
        number: posted.body,
        subject: 'Mail server down',
        state: 'open',
        requester: { email: 'pat@example.com', name: 'Pat' },
        thread: [{ kind: 'message', body: 'Nothing arrives since 9:00' }, { kind: 'event' }],
      });
      const docs = await fetch(`http://127.0.0.1:${port}/api/docs`);
      expect(docs.status).toBe(200);
      const missing = await fetch(`http://127.0.0.1:${port}/nope`);
      expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([
        404,
        'route_not_found',
      ]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 90_000);
});
