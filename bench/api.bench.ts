import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import type { Dialect } from '../src/db/database.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createApiKey } from '../src/modules/auth/apikeys.service.ts';
import { putSetting } from '../src/modules/settings/settings.service.ts';
import { seedDemoReference } from '../src/seed/demo-reference.ts';
import { fmt, fmtInt, table } from './stats.ts';

// The HTTP API under load: a real `deskline serve` process (web + worker) on
// loopback, driven by autocannon with 32 connections. Only 127.0.0.1, and
// every run stops by itself after `seconds`.

export interface ApiOptions {
  dialect: Dialect;
  seconds: number;
  dir: string;
  pgUrl: string;
}

export interface ApiFigure {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

export interface ApiResult {
  dialect: Dialect;
  figures: ApiFigure[];
}

const CONNECTIONS = 32;
const PG_SCHEMA = 'deskline_bench_api';

async function prepareDatabase(o: ApiOptions): Promise<{ url: string; key: string }> {
  let url: string;
  if (o.dialect === 'sqlite') {
    const file = path.join(o.dir, 'api.db');
    fs.mkdirSync(o.dir, { recursive: true });
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    url = `sqlite:${file}`;
  } else {
    const admin = new pg.Client({ connectionString: o.pgUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${PG_SCHEMA} cascade`);
    await admin.query(`create schema ${PG_SCHEMA}`);
    await admin.end();
    // The server picks the schema up from the connection's search_path.
    url = `${o.pgUrl}${o.pgUrl.includes('?') ? '&' : '?'}options=-c%20search_path%3D${PG_SCHEMA}`;
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
    const { key } = await createApiKey({ db: handle.db, clock: systemClock }, { name: 'bench' });
    return { url, key };
  } finally {
    await handle.close();
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

async function startServer(url: string, port: number): Promise<ChildProcess> {
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

type Request = NonNullable<autocannon.Options['requests']>[number];

async function load(name: string, base: string, seconds: number, request: Request): Promise<ApiFigure> {
  const r = await autocannon({ url: base, connections: CONNECTIONS, duration: seconds, requests: [request] });
  const ok = r['2xx'];
  const figure = {
    name,
    perSecond: ok / seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok,
    failed: r.non2xx + r.errors + r.timeouts,
  };
  console.log(
    `  [${name}] ${fmtInt(figure.perSecond)} req/s, p50 ${fmt(figure.p50, 1)} ms, p99 ${fmt(figure.p99, 1)} ms, ${fmtInt(ok)} ok, ${fmtInt(figure.failed)} failed`,
  );
  return figure;
}

/**
 * Waits until the worker has sent every job the last phase queued, so the next
 * phase measures its own requests, not the mail of the previous one. The time
 * it takes is printed: creating faster than the worker can follow is no figure.
 */
async function drainOutbox(url: string): Promise<number> {
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

let seq = 0;
const requester = () => {
  const i = seq++;
  return { email: `load${i % 2000}@customers.example`, name: `Load Customer ${i % 2000}` };
};

export async function benchApi(o: ApiOptions): Promise<ApiResult> {
  const { url, key } = await prepareDatabase(o);
  const port = await freePort();
  const server = await startServer(url, port);
  const base = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  try {
    const native: Request = {
      method: 'POST',
      path: '/api/v1/tickets',
      headers: auth,
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({
          subject: `Printer offline on floor ${seq % 9}`,
          body: 'Every laptop shows the shared printer offline since this morning.',
          requester: requester(),
          helpTopic: 'Report a Problem',
        }),
      }),
    };
    const compat: Request = {
      method: 'POST',
      path: '/api/tickets.json',
      headers: { 'x-api-key': key },
      setupRequest: (req) => {
        const who = requester();
        return {
          ...req,
          body: JSON.stringify({
            ...who,
            subject: 'Disk almost full on db-3',
            message: 'Alert: /var at 93 %',
            topicId: 1,
          }),
        };
      },
    };
    // Warm-up: JIT, statement caches, the reference snapshot.
    await load('warm-up', base, 2, native);
    await drainOutbox(url);
    const figures = [await load(`${o.dialect} POST /api/v1/tickets`, base, o.seconds, native)];
    await drainOutbox(url);
    figures.push(await load(`${o.dialect} POST /api/tickets.json`, base, o.seconds, compat));
    await drainOutbox(url);
    const created = await fetch(`${base}/api/v1/tickets?limit=1`, { headers: auth });
    const number = ((await created.json()) as { items: { number: string }[] }).items[0]?.number ?? '0';
    figures.push(
      await load(`${o.dialect} GET /api/v1/tickets/{number}`, base, o.seconds, {
        method: 'GET',
        path: `/api/v1/tickets/${number}`,
        headers: auth,
      }),
    );
    return { dialect: o.dialect, figures };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

export function printApi(results: ApiResult[], target: number, osticketPerSecond: number): string {
  const rows: (string | number)[][] = [
    ['  request', 'req/s', 'p50 ms', 'p99 ms', 'vs target', 'vs osTicket'],
  ];
  for (const r of results) {
    for (const f of r.figures) {
      const creates = f.name.includes('POST');
      rows.push([
        `  ${f.name}`,
        fmtInt(f.perSecond),
        fmt(f.p50, 1),
        fmt(f.p99, 1),
        creates && r.dialect === 'sqlite' ? fmt(f.perSecond / target) : '',
        creates ? `${fmtInt(f.perSecond / osticketPerSecond)}×` : '',
      ]);
    }
  }
  return table(rows);
}
