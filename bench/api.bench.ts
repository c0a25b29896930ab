import autocannon from 'autocannon';
import type { Dialect } from '../src/db/database.ts';
import { drainOutbox, freePort, prepareDatabase, startServer, type BenchTarget } from './desk.ts';
import { fmt, fmtInt, table } from './stats.ts';

// The HTTP API under load: a real `deskline serve` process (web + worker) on
// loopback, driven by autocannon with 32 connections. Only 127.0.0.1, and
// every run stops by itself after `seconds`.

export interface ApiOptions extends BenchTarget {
  seconds: number;
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

let seq = 0;
const requester = () => {
  const i = seq++;
  return { email: `load${i % 2000}@customers.example`, name: `Load Customer ${i % 2000}` };
};

export async function benchApi(o: ApiOptions): Promise<ApiResult> {
  const { url, key } = await prepareDatabase(o, 'api');
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
    // The open queue's first page of 50, as the agent panel asks for it, with every created ticket open.
    figures.push(
      await load(`${o.dialect} GET /api/v1/tickets?queue=open`, base, o.seconds, {
        method: 'GET',
        path: '/api/v1/tickets?queue=open&limit=50',
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
