import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { PG_URL, type TestHandle } from './db.ts';
import { inSchema } from './server.ts';

// Pieces for the fault tests that drive real `deskline serve` processes over
// real sockets: a relay that never answers, a raw SMTP client, exit timing.

/** The DATABASE_URL of a test database, for a child process. */
export const databaseUrlOf = (h: TestHandle): string =>
  h.dialect === 'sqlite' ? `sqlite:${h.file}` : inSchema(PG_URL, h.schema!);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** A "relay" that accepts TCP connections and never says a word (no greeting, no answers). */
export async function hungRelay() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  let accepted = 0;
  server.on('connection', () => accepted++);
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** Connections accepted so far. */
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** One raw SMTP connection: every line the server sent, and when it closed. */
export class RawSmtp {
  readonly lines: string[] = [];
  closedAt: number | undefined;
  private buffer = '';

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let i = this.buffer.indexOf('\r\n'); i >= 0; i = this.buffer.indexOf('\r\n')) {
        this.lines.push(this.buffer.slice(0, i));
        this.buffer = this.buffer.slice(i + 2);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closedAt = Date.now()));
  }

  /** Connects to the listener on 127.0.0.1:port from `localAddress` (any of 127.0.0.0/8 on Linux). */
  static open(port: number, localAddress = '127.0.0.1'): Promise<RawSmtp> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress });
      socket.once('connect', () => resolve(new RawSmtp(socket)));
      socket.once('error', reject);
    });
  }

  send(line: string): void {
    if (this.closedAt === undefined) this.socket.write(`${line}\r\n`);
  }

  /** The first line (from `from` on) that matches, waiting up to `timeoutMs`. */
  async line(match: RegExp, timeoutMs = 10_000, from = 0): Promise<string> {
    let found: string | undefined;
    await waitUntil(
      () => (found = this.lines.slice(from).find((l) => match.test(l))) !== undefined,
      timeoutMs,
      `an SMTP line matching ${match}`,
    );
    return found!;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Resolves when the child exits, with its exit code and the time. */
export const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode, at: Date.now() });
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });

/** Waits until something accepts TCP connections on 127.0.0.1:port (the SMTP listener starts after /readyz). */
export async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  await waitUntil(
    () =>
      new Promise<boolean>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port });
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      }),
    timeoutMs,
    `a listener on port ${port}`,
  );
}
