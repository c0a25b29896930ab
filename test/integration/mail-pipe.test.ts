import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `deskline mail pipe` as an MTA runs it: one message on stdin, the answer in the exit code (sysexits).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-pipe-'));
const { DATABASE_URL: _ignored, ...inherited } = process.env;
const env = { ...inherited, DESKLINE_DATA_DIR: dataDir };
const bin = path.resolve('bin/deskline.js');

const pipe = (input: string, extraEnv: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [bin, 'mail', 'pipe'], {
    env: { ...env, ...extraEnv },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, err: r.stderr.trim() };
};

const mail = (from: string, subject: string) =>
  `From: ${from}\r\nTo: support@deskline.local\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.com>\r\n\r\nPlease help.\r\n`;

beforeAll(() => {
  const seeded = spawnSync(process.execPath, [bin, 'seed', '--demo'], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(seeded.status).toBe(0);
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('deskline mail pipe', () => {
  it('accepts a message (0) and a repeat of it is the same ticket, still 0', () => {
    const first = pipe(mail('Karen <karen@example.com>', 'Piped request'));
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/ticket \(ticket \d+\)/);
    const again = pipe(mail('Karen <karen@example.com>', 'Piped request'));
    expect(again.code).toBe(0);
    expect(again.err).toContain('duplicate');
    const db = new Sqlite(path.join(dataDir, 'deskline.db'), { readonly: true });
    const n = db.prepare(`select count(*) as n from tickets where subject = 'Piped request'`).get() as {
      n: number;
    };
    db.close();
    expect(n.n).toBe(1);
  });

  it('no input is 66; a banned sender is 77 (the MTA bounces it)', () => {
    expect(pipe('').code).toBe(66);
    const db = new Sqlite(path.join(dataDir, 'deskline.db'));
    db.prepare(`insert into settings (key, value, updated_at) values ('mail', ?, 0)`).run(
      JSON.stringify({ banned: ['spam.example'] }),
    );
    db.close();
    const refused = pipe(mail('x@spam.example', 'Cheap pills'));
    expect(refused.code).toBe(77);
    expect(refused.err).toContain('banned');
  });

  it('a database that cannot be reached is 75: the MTA keeps the message and retries', () => {
    const r = pipe(mail('karen@example.com', 'While the database is down'), {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    });
    expect(r.code).toBe(75);
    expect(r.err).toContain('temporary failure');
  });
});
