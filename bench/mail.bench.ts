import { spawn } from 'node:child_process';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { openDatabase } from '../src/db/database.ts';
import { systemClock } from '../src/lib/clock.ts';
import { getSetting, putSetting } from '../src/modules/settings/settings.service.ts';
import { drainOutbox, freePort, prepareDatabase, startServer, type BenchTarget } from './desk.ts';
import { fmt, fmtInt } from './stats.ts';

// Mail intake under load: a real `deskline serve` process with its SMTP
// listener on loopback, 8 concurrent senders each delivering 5 KB messages
// over their own connection for `seconds`; then the MTA pipe, one process per
// message as an MTA runs it. Only 127.0.0.1; everything stops by itself.

const SENDERS = 8;
const BODY = `${'We cannot log in to the banking portal since the update; every attempt ends in error 502. '.repeat(55)}\n`;

export interface MailResult {
  dialect: string;
  smtpPerSecond: number;
  smtpAccepted: number;
  smtpFailed: number;
  pipePerSecond: number;
}

export async function benchMail(o: BenchTarget & { seconds: number }): Promise<MailResult> {
  const { url } = await prepareDatabase(o, 'mail');
  const handle = openDatabase(url);
  // Throughput, not the flood guard: one IP sends everything here.
  const mail = await getSetting(handle.db, 'mail');
  await putSetting(
    handle.db,
    'mail',
    { ...mail, smtpPerIpPerMinute: 0, autoRepliesPerHour: 1_000_000 },
    systemClock.now(),
  );
  await handle.close();
  const smtpPort = await freePort();
  const server = await startServer(url, await freePort(), { SMTP_LISTEN_PORT: String(smtpPort) });
  try {
    await send(smtpPort, 2, 'warm-up');
    await drainOutbox(url);
    const r = await send(smtpPort, o.seconds, o.dialect);
    await drainOutbox(url);
    const pipePerSecond = await pipe(url, o.dialect);
    return {
      dialect: o.dialect,
      smtpPerSecond: r.accepted / o.seconds,
      smtpAccepted: r.accepted,
      smtpFailed: r.failed,
      pipePerSecond,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

async function send(port: number, seconds: number, label: string) {
  let accepted = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, s) => {
      const t = nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        pool: true,
        maxConnections: 1,
        ignoreTLS: true,
      });
      for (let i = 0; performance.now() < until; i++) {
        try {
          await t.sendMail({
            from: `Customer ${s}-${i % 500} <c${s}-${i % 500}@customers.example>`,
            to: 'support@deskline.local',
            subject: `Portal login fails (${label} ${s}-${i})`,
            text: BODY,
          });
          accepted++;
        } catch {
          failed++;
        }
      }
      t.close();
    }),
  );
  console.log(
    `  [${label} SMTP] ${fmtInt(accepted / seconds)} messages/s (${fmtInt(accepted)} accepted, ${fmtInt(failed)} failed, ${SENDERS} senders, ${BODY.length} B bodies)`,
  );
  return { accepted, failed };
}

/** `deskline mail pipe`, two processes at a time (the machine's cores), as an MTA would run it. */
async function pipe(url: string, label: string): Promise<number> {
  const count = 20;
  const bin = path.resolve('bin/deskline.js');
  const start = performance.now();
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'mail', 'pipe'], {
        env: { ...process.env, DATABASE_URL: url },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mail pipe exited ${code}`))));
      child.stdin.end(
        `From: piped${i}@customers.example\r\nTo: support@deskline.local\r\nSubject: Piped ${i}\r\n\r\n${BODY}`,
      );
    });
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < count) await one(next++);
    }),
  );
  const perSecond = count / ((performance.now() - start) / 1000);
  console.log(
    `  [${label} pipe] ${fmt(perSecond, 1)} messages/s (${count} messages, one process each, 2 at a time)`,
  );
  return perSecond;
}
