import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { createApiKey } from '../../src/modules/auth/apikeys.service.ts';
import { describeEachDialect, type TestHandle } from '../support/db.ts';
import { loadDesk, seedDesk } from '../support/factories.ts';
import {
  databaseUrlOf,
  exitOf,
  hungRelay,
  RawSmtp,
  sleep,
  waitForPort,
  waitUntil,
} from '../support/faults.ts';
import { startCaptureSmtp, type CaptureServer } from '../support/mail.ts';
import { freePort, serve } from '../support/server.ts';

// Issue 17, item 13, on real `deskline serve` processes sharing one database:
// SIGTERM stops every listener at once and exits within the deadline, handing
// unfinished jobs to another process; SIGKILL costs a job only its short lease.

/** DESKLINE_SHUTDOWN_TIMEOUT for these tests, in seconds (the default is 10). */
const DEADLINE_S = 4;

interface Answer {
  subject: string;
  sentAt: number;
  status: number; // 0: no answer (connection refused or closed)
  number?: string;
}

/** Several clients posting tickets as fast as they are answered, until told to stop. */
function hammer(url: string, key: string, clients: number) {
  const answers: Answer[] = [];
  let stopped = false;
  const run = async (c: number) => {
    for (let i = 0; !stopped; i++) {
      const subject = `Load ${c}-${i}`;
      const sentAt = Date.now();
      try {
        const res = await fetch(`${url}/api/v1/tickets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({
            subject,
            body: 'Under load',
            requester: { email: 'load@example.com' },
            department: 'Support',
          }),
        });
        const body = (await res.json().catch(() => ({}))) as { number?: string };
        answers.push({
          subject,
          sentAt,
          status: res.status,
          ...(body.number ? { number: body.number } : {}),
        });
      } catch {
        answers.push({ subject, sentAt, status: 0 });
        await sleep(20);
      }
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, c) => run(c)));
  return {
    answers,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

const jobsOf = (h: TestHandle, ids: number[]) =>
  h.db
    .selectFrom('jobs')
    .select(['id', 'status', 'attempts', 'locked_by'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();

async function postTicket(url: string, key: string, subject: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      subject,
      body: 'Please help',
      requester: { email: 'first@example.com', name: 'First Customer' },
      department: 'Support',
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { number: string }).number;
}

/** Starts a server whose relay never answers, opens a ticket, and returns once its mail jobs hang at the relay. */
async function serverWithStuckJobs(h: TestHandle, key: string, relay: { url: string; accepted(): number }) {
  const smtpPort = await freePort();
  const before = relay.accepted();
  const server = await serve(databaseUrlOf(h), {
    SMTP_URL: relay.url,
    SMTP_LISTEN_PORT: String(smtpPort),
    DESKLINE_SHUTDOWN_TIMEOUT: String(DEADLINE_S),
  });
  await waitForPort(smtpPort);
  const number = await postTicket(server.url, key, 'Stuck acknowledgement');
  await waitUntil(() => relay.accepted() > before, 10_000, 'a connection to the relay');
  await sleep(500); // the jobs that do not send mail (reports, assignment) are done by now
  const stuck = await h.db.selectFrom('jobs').select('id').where('status', '=', 'running').execute();
  expect(stuck.length).toBeGreaterThan(0);
  return { server, smtpPort, number, stuck: stuck.map((j) => j.id) };
}

describeEachDialect('deskline serve under SIGTERM and SIGKILL', (handle) => {
  let key = '';
  let relay: Awaited<ReturnType<typeof hungRelay>>;
  let capture: CaptureServer;

  beforeAll(async () => {
    await seedDesk(handle().db);
    key = (await createApiKey((await loadDesk(handle().db)).deps, { name: 'load' })).key;
    relay = await hungRelay();
    capture = await startCaptureSmtp();
  });
  afterAll(async () => {
    await relay?.close();
    await capture?.close();
  });

  it('SIGTERM under load with an idle SMTP client and a hung relay: exits within the deadline, no 201 after the signal, unfinished jobs released', async () => {
    const h = handle();
    const { server, smtpPort, number, stuck } = await serverWithStuckJobs(h, key, relay);
    const exited = exitOf(server.child);
    const idle = await RawSmtp.open(smtpPort, '127.0.0.5');
    await idle.line(/^220 /);
    const live = await fetch(`${server.url}/api/v1/events`, { headers: { authorization: `Bearer ${key}` } });
    const reader = live.body!.getReader();
    const liveEnded = (async () => {
      while (!(await reader.read().catch(() => ({ done: true }))).done);
      return Date.now();
    })();

    // The server prints this line once it refuses new work: a request sent after
    // we read it reached the server after that moment. (One sent between kill()
    // and then may have arrived before the busy event loop took the signal.)
    const refusing = new Promise<number>((resolve) =>
      server.child.stdout!.on('data', () => {
        if (server.stdout().includes('Stopping (SIGTERM)')) resolve(Date.now());
      }),
    );
    const load = hammer(server.url, key, 6);
    await sleep(1_000);
    const signalAt = Date.now();
    server.child.kill('SIGTERM');
    const refusingAt = await Promise.race([refusing, sleep(5_000).then(() => Infinity)]);
    const exit = await Promise.race([exited, sleep(DEADLINE_S * 1000 + 5_000).then(() => undefined)]);
    onTestFinished(() => void server.child.kill('SIGKILL'));
    await load.stop();

    // Nothing sent after the server took the signal succeeded; some were sent (and refused or not connected).
    const { answers } = load;
    expect(refusingAt - signalAt).toBeLessThan(1_000);
    const after = answers.filter((a) => a.sentAt > refusingAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((a) => a.status === 201)).toEqual([]);
    expect(new Set(answers.map((a) => a.status))).toSatisfy((s: Set<number>) =>
      [...s].every((status) => [201, 503, 0].includes(status)),
    );

    // Every listener stopped at once, and the process exited within the deadline.
    expect(idle.lines.at(-1)).toMatch(/^421 /);
    expect(idle.closedAt! - signalAt).toBeLessThan(1_000);
    expect((await liveEnded) - signalAt).toBeLessThan(1_000);
    expect(exit).toMatchObject({ code: 0 });
    expect(exit!.at - signalAt).toBeLessThan(DEADLINE_S * 1000 + 2_000);

    // Every 201 is a committed ticket, and nothing else was committed.
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThan(10);
    const stored = await h.db
      .selectFrom('tickets')
      .select(['number', 'subject'])
      .where('subject', 'like', 'Load %')
      .execute();
    const byNumber = (rows: { number?: string; subject: string }[]) =>
      rows.map((r) => `${r.number} ${r.subject}`).sort();
    expect(byNumber(stored)).toEqual(byNumber(created));

    // The jobs stuck at the relay went back to the queue, their attempt not counted.
    expect(await jobsOf(h, stuck)).toEqual(
      stuck.map((id) => ({ id, status: 'pending', attempts: 0, locked_by: null })),
    );
    expect(await h.db.selectFrom('jobs').select('id').where('status', '=', 'running').execute()).toEqual([]);

    // Another process sends them.
    const next = await serve(databaseUrlOf(h), { SMTP_URL: capture.url });
    try {
      await waitUntil(
        async () => (await jobsOf(h, stuck)).every((j) => j.status === 'done'),
        30_000,
        'the released jobs done by the next process',
      );
      // The relay's copy is parsed after it answered the sender: wait for it too.
      await waitUntil(
        async () =>
          capture.received.some(
            (m) => m.to.includes('first@example.com') && m.mail.subject?.includes(`[#${number}]`),
          ),
        10_000,
        'the acknowledgement at the relay',
      );
    } finally {
      await next.stop();
    }
  }, 90_000);

  it('SIGKILL: the jobs the killed process held are run by another one within seconds, not minutes', async () => {
    const h = handle();
    const { server: killed, number, stuck } = await serverWithStuckJobs(h, key, relay);
    const heldBy = (await jobsOf(h, stuck))[0]!.locked_by;
    const other = await serve(databaseUrlOf(h), { SMTP_URL: capture.url });
    try {
      const killedAt = Date.now();
      killed.child.kill('SIGKILL');
      await waitUntil(
        async () => (await jobsOf(h, stuck)).every((j) => j.status === 'done'),
        45_000,
        'the jobs of the killed process done by the other one',
      );
      // Lease 15 s, renewed every 5 s; expired leases are looked for every 5 s.
      expect(Date.now() - killedAt).toBeLessThan(30_000);
      const jobs = await jobsOf(h, stuck);
      // The killed attempt counts (a job that kills its worker every time must end).
      expect(jobs.every((j) => j.attempts === 2 && j.locked_by !== heldBy)).toBe(true);
      // The relay's copy is parsed after it answered the sender: wait for it too.
      await waitUntil(
        async () =>
          capture.received.some(
            (m) => m.to.includes('first@example.com') && m.mail.subject?.includes(`[#${number}]`),
          ),
        10_000,
        'the acknowledgement at the relay',
      );
    } finally {
      await other.stop();
    }
  }, 90_000);
});
