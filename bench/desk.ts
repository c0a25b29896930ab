import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Dialect } from '../src/db/database.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createApiKey } from '../src/modules/auth/apikeys.service.ts';
import { putSetting } from '../src/modules/settings/settings.service.ts';
import { seedDemoReference } from '../src/seed/demo-reference.ts';
import { fmt } from './stats.ts';
import { silentLog } from '../src/lib/log.ts';

// What the load benchmarks share: a fresh demo desk in its own database, a
// real `deskline serve` process on loopback, and waiting for its outbox.

export interface BenchTarget {
  dialect: Dialect;
  dir: string;
  pgUrl: string;
}

/** A fresh demo desk (SQLite file `<name>.db`, or PostgreSQL schema `deskline_bench_<name>`) with an admin API key. */
export async function prepareDatabase(o: BenchTarget, name: string): Promise<{ url: string; key: string }> {
  let url: string;
  const schema = `deskline_bench_${name}`;
  if (o.dialect === 'sqlite') {
    const file = path.join(o.dir, `${name}.db`);
    fs.mkdirSync(o.dir, { recursive: true });
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    url = `sqlite:${file}`;
  } else {
    const admin = new pg.Client({ connectionString: o.pgUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.query(`create schema ${schema}`);
    await admin.end();
    // The server picks the schema up from the connection's search_path.
    url = `${o.pgUrl}${o.pgUrl.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`;
  }
  const handle = openDatabase(url);
  try {
    await migrateToLatest(handle.db);
    const now = systemClock.now();
    await handle.db.transaction().execute((trx) => seedDemoReference(trx, now));
    // The bench measures throughput, not the flood guard: lift the intake limit for its key.
    await putSetting(
      handle.db,
      'rate_limits',
      { windowSeconds: 60, loginPerAccount: 10, loginPerIp: 30, intakePerKey: 0, intakePerIp: 0 },
      now,
    );
    const { key } = await createApiKey(
      { db: handle.db, clock: systemClock, log: silentLog() },
      { name: 'bench' },
    );
    return { url, key };
  } finally {
    await handle.close();
  }
}

/**
 * A cached bench desk's build: the scenario version and a hash of the migrations
 * and the bulk seeder, so a desk cached before one of them changed (migrations
 * are edited in place before a release) is seeded afresh, not measured on an old schema.
 */
export function seedTag(version: number): string {
  const hash = crypto.createHash('sha256').update(String(version));
  const src = fileURLToPath(new URL('../src/', import.meta.url));
  for (const [dir, keep] of [
    ['db/migrations', /\.ts$/],
    ['seed', /^bulk.*\.ts$/],
  ] as const) {
    for (const f of fs
      .readdirSync(path.join(src, dir))
      .filter((f) => keep.test(f))
      .sort())
      hash.update(f).update(fs.readFileSync(path.join(src, dir, f)));
  }
  return hash.digest('hex').slice(0, 16);
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

export async function startServer(
  url: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server under load.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'bin/deskline.js', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      SMTP_LISTEN_PORT: '0',
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('the server did not become ready within 30 s');
}

/**
 * Waits until the worker has sent every job the last phase queued, so the next
 * phase measures its own requests, not the mail of the previous one. The time
 * it takes is printed: creating faster than the worker can follow is no figure.
 */
export async function drainOutbox(url: string): Promise<number> {
  const handle = openDatabase(url);
  const start = performance.now();
  try {
    for (;;) {
      const row = await handle.db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['pending', 'running'])
        .executeTakeFirstOrThrow();
      if (Number(row.n) === 0 || performance.now() - start > 300_000) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await handle.close();
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`    (the worker finished the queued mail ${fmt(seconds, 1)} s after the phase ended)`);
  return seconds;
}
