import crypto from 'node:crypto';
import { expect } from 'vitest';
import { sleep } from './faults.ts';

// Clients for the database fault tests: they talk to a real `deskline serve`
// over HTTP and record what a well-behaved integration would see.

export interface Tally {
  /** Every 201: the subject sent and the number answered. */
  created: { subject: string; number: string }[];
  /** 503s that carried a Retry-After (the client retried with the same Idempotency-Key). */
  unavailable: number;
  /** Anything else: a wrong status, a 503 without Retry-After, a dropped or hung request. */
  failures: string[];
  slowestMs: number;
}

export const newTally = (): Tally => ({ created: [], unavailable: 0, failures: [], slowestMs: 0 });

/** POST /api/v1/tickets once; the answer's status, Retry-After and body. */
export async function postTicket(
  url: string,
  key: string | undefined,
  subject: string,
  idempotencyKey?: string,
) {
  const res = await fetch(`${url}/api/v1/tickets`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { 'x-api-key': key } : {}),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify({
      subject,
      body: 'The printer is on fire.',
      requester: { email: 'fault.tester@example.com', name: 'Fault Tester' },
    }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text };
}

/**
 * One client opening tickets until `stop()` says so. A 503 with Retry-After is
 * retried with the same Idempotency-Key (sooner than asked: the test is short),
 * as an integration should; every ticket it starts ends as exactly one 201.
 */
export async function ticketClient(
  url: string,
  key: string,
  name: string,
  tally: Tally,
  stop: () => boolean,
) {
  for (let n = 0; !stop(); n++) {
    const subject = `${name} #${n}`;
    const idempotencyKey = crypto.randomUUID();
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      let res;
      try {
        res = await postTicket(url, key, subject, idempotencyKey);
      } catch (err) {
        tally.failures.push(`${subject}: no answer (${String(err)})`);
        return;
      }
      tally.slowestMs = Math.max(tally.slowestMs, Date.now() - started);
      if (res.status === 201) {
        tally.created.push({ subject, number: (JSON.parse(res.text) as { number: string }).number });
        break;
      }
      if (res.status !== 503 || !(Number(res.retryAfter) > 0) || attempt > 300) {
        tally.failures.push(
          `${subject}: ${res.status} retry-after=${res.retryAfter} ${res.text.slice(0, 300)}`,
        );
        return;
      }
      tally.unavailable++;
      await sleep(100);
    }
  }
}

/** Polls `url` until it answers `status` (or fails the test after `ms`). */
export async function waitForStatus(url: string, status: number, ms = 30_000): Promise<void> {
  let last = 'no answer';
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(200)) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      last = `${res.status} ${await res.text()}`;
      if (res.status === status) return;
    } catch (err) {
      last = String(err);
    }
  }
  expect.fail(`${url} did not answer ${status} within ${ms / 1000} s; last: ${last}`);
}
