import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db, type DbHandle } from '../../src/db/database.ts';
import { countByStatus } from '../../src/modules/outbox/outbox.repository.ts';
import { runnable } from '../../src/modules/outbox/outbox.registry.ts';
import { silentLog } from '../../src/lib/log.ts';
import { JobRunner, type JobHandler } from '../../src/jobs/runner.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { reportHandlers } from '../../src/modules/reports/reports.jobs.ts';
import { mailHandlers } from '../../src/modules/mail/mail.jobs.ts';
import { putSetting, type Setting } from '../../src/modules/settings/settings.service.ts';
import { randomNumber, renderNumber } from '../../src/modules/tickets/tickets.numbers.ts';
import { deleteTicket } from '../../src/modules/tickets/tickets.service.ts';
import { PG_URL, describeEachDialect, dialects, freshDatabase } from '../support/db.ts';
import { T0, countRows, loadDesk, makeDeps, newTicket, seedDesk, type Desk } from '../support/factories.ts';

const quiet = { autorespond: false, alert: false } as const;

describe('renderNumber', () => {
  it('fills each # with a digit, zero-padded', () => {
    expect(renderNumber('######', 100001)).toBe('100001');
    expect(renderNumber('DL-######', 100001)).toBe('DL-100001');
    expect(renderNumber('######', 42)).toBe('000042');
    expect(renderNumber('##-##', 1234)).toBe('12-34');
  });

  it('grows the first run of # instead of wrapping when the value has more digits', () => {
    expect(renderNumber('######', 1_000_000)).toBe('1000000');
    expect(renderNumber('DL-###-##', 1_234_567)).toBe('DL-12345-67');
  });
});

describe('randomNumber', () => {
  it('gives digits in the format, never starting with 0', () => {
    for (let i = 0; i < 2_000; i++) {
      expect(randomNumber('######')).toMatch(/^[1-9]\d{5}$/);
      expect(randomNumber('DL-####')).toMatch(/^DL-[1-9]\d{3}$/);
    }
  });
});

const setNumbers = (db: Db, value: Setting<'ticket_number'>) => putSetting(db, 'ticket_number', value, T0);

describeEachDialect('ticket numbers', (handle, dialect) => {
  let desk: Desk;
  beforeAll(async () => {
    await seedDesk(handle().db);
  });
  beforeEach(async () => {
    desk = await loadDesk(handle().db);
  });

  it("a 'DL-######' sequence gives DL-100001, DL-100002, …", async () => {
    await setNumbers(desk.db, { mode: 'sequence', format: 'DL-######', offset: 100000 });
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) numbers.push((await newTicket(desk.deps, quiet)).number);
    expect(numbers).toEqual(['DL-100001', 'DL-100002', 'DL-100003']);
  });

  it('a number is never reused after a rolled-back intake (a gap is fine)', async () => {
    const n = (t: { number: string }) => Number(t.number.slice('DL-'.length));
    const before = await newTicket(desk.deps, quiet);
    const counts = await countRows(desk.db);
    // Break intake's last writes (the 'created' event) so its transaction fails after drawing a number.
    await sql`alter table ticket_events rename to ticket_events_off`.execute(desk.db);
    try {
      await expect(newTicket(desk.deps, quiet)).rejects.toThrow();
    } finally {
      await sql`alter table ticket_events_off rename to ticket_events`.execute(desk.db);
    }
    expect(await countRows(desk.db)).toEqual(counts);
    const after = await newTicket(desk.deps, quiet);
    // PostgreSQL's sequence leaves a gap; SQLite's counter rolls back with the ticket that was never committed.
    expect(n(after)).toBe(n(before) + (dialect === 'postgres' ? 2 : 1));
    const all = await desk.db.selectFrom('tickets').select('number').execute();
    expect(new Set(all.map((r) => r.number)).size).toBe(all.length);
  });

  it('after the admin moves the offset back onto used numbers, intake skips to a free one', async () => {
    const last = (await newTicket(desk.deps, quiet)).number;
    await setNumbers(desk.db, { mode: 'sequence', format: 'DL-######', offset: 99998 });
    const next = await newTicket(desk.deps, quiet);
    expect(next.number).toMatch(/^DL-\d{6}$/);
    expect(Number(next.number.slice(3))).toBeGreaterThan(Number(last.slice(3)));
    const all = await desk.db.selectFrom('tickets').select('number').execute();
    expect(new Set(all.map((r) => r.number)).size).toBe(all.length);
  });

  it("a deleted ticket's number is retired: never handed out again", async () => {
    await setNumbers(desk.db, { mode: 'sequence', format: '######', offset: 500000 });
    const doomed = await newTicket(desk.deps, quiet);
    await deleteTicket(desk.deps, desk.admin, doomed.number);
    // Move the offset back one: the next draw is exactly the deleted number.
    await setNumbers(desk.db, { mode: 'sequence', format: '######', offset: 499999 });
    const next = await newTicket(desk.deps, quiet);
    expect(next.number).not.toBe(doomed.number);
    expect(Number(next.number)).toBe(Number(doomed.number) + 1);
  });

  it("mode 'random' gives 6 digits not starting with 0, unique over 300 tickets", async () => {
    await setNumbers(desk.db, { mode: 'random', format: '######', offset: 0 });
    const numbers: string[] = [];
    for (let i = 0; i < 300; i++) numbers.push((await newTicket(desk.deps, quiet)).number);
    for (const number of numbers) expect(number).toMatch(/^[1-9]\d{5}$/);
    expect(new Set(numbers).size).toBe(300);
  });
});

const silent = silentLog();

if (dialects.includes('postgres')) {
  describe('ticket numbers and their jobs under concurrency [postgres]: four pools', () => {
    let first: DbHandle | undefined;
    const pools: DbHandle[] = [];
    beforeAll(async () => {
      first = await freshDatabase('postgres');
      await seedDesk(first.db);
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(first.db);
      const schema = rows[0]!.schema;
      for (let i = 0; i < 4; i++) pools.push(openDatabase(PG_URL, { schema, poolSize: 5 }));
    });
    afterAll(async () => {
      await Promise.all(pools.map((h) => h.close()));
      await first?.close();
    });

    it('200 concurrent intakes get 200 distinct valid numbers; 4 runners run each queued job exactly once', async () => {
      const db = first!.db;
      const created = await Promise.all(
        pools.flatMap((pool, p) =>
          Array.from({ length: 50 }, (_, i) =>
            // Seven new addresses shared by all pools: concurrent intakes race to create each requester.
            newTicket(makeDeps(pool.db), {
              subject: `Race ${p}-${i}`,
              requester: { email: `racer${(p * 50 + i) % 7}@race.test` },
            }),
          ),
        ),
      );
      const numbers = created.map((t) => t.number);
      expect(new Set(numbers).size).toBe(200);
      for (const number of numbers) expect(number).toMatch(/^[1-9]\d{5}$/);
      expect([...numbers].sort()).toEqual(Array.from({ length: 200 }, (_, i) => String(100001 + i)));
      const racers = await db
        .selectFrom('customers')
        .select('email')
        .where('email', 'like', 'racer%')
        .execute();
      expect(racers).toHaveLength(7);

      const jobIds = (await db.selectFrom('jobs').select('id').orderBy('id').execute()).map((r) => r.id);
      expect(jobIds).toHaveLength(600); // per ticket: acknowledgement, alert, report refresh
      const runs: { jobId: number; worker: string }[] = [];
      const clock = new ManualClock(T0);
      const runners = pools.map((pool, i) => {
        const real = runnable({
          ...reportHandlers(pool.db),
          ...mailHandlers({ db: pool.db, clock, publicUrl: 'http://localhost:8080' }),
        });
        const handlers: Record<string, JobHandler> = {};
        for (const [type, handler] of Object.entries(real)) {
          handlers[type] = async (payload, job) => {
            runs.push({ jobId: job.id, worker: job.locked_by ?? '?' });
            await handler(payload, job);
          };
        }
        return new JobRunner({
          db: pool.db,
          clock,
          handlers,
          workerId: `w${i + 1}`,
          concurrency: 4,
          pollMs: 5,
          log: silent,
        });
      });
      for (const r of runners) r.start();
      try {
        const deadline = Date.now() + 25_000;
        while ((await countByStatus(db)).done < jobIds.length) {
          if (Date.now() > deadline) throw new Error('the queue was not drained in time');
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await Promise.all(runners.map((r) => r.stop()));
      }
      const ran = runs.map((r) => r.jobId).sort((a, b) => a - b);
      expect(ran).toEqual(jobIds);
      expect(new Set(runs.map((r) => r.worker)).size).toBeGreaterThan(1);
      expect(await countByStatus(db)).toEqual({ pending: 0, running: 0, done: 600, failed: 0 });
      const mails = await db.selectFrom('mail_log').select(['job_id', 'to_address']).execute();
      expect(mails).toHaveLength(400);
      expect(new Set(mails.map((m) => m.job_id)).size).toBe(400);
    });
  });
}
