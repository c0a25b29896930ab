import { beforeAll, expect, it } from 'vitest';
import { DAY } from '../../src/lib/clock.ts';
import { seedDemo } from '../../src/seed/demo.ts';
import { describeEachDialect } from '../support/db.ts';
import { T0 } from '../support/factories.ts';
import { testLog } from '../support/log.ts';

// The demo desk as `deskline start` seeds it: every ticket, message and event
// lies in the past (a demo dated next week looks broken), spread over about
// three weeks, tickets opened in number order.

describeEachDialect('demo seed', (handle) => {
  beforeAll(async () => {
    expect(await seedDemo(handle().db, T0, testLog)).toBe(true);
  }, 60_000);

  it('dates everything before now, over the past three weeks, in number order', async () => {
    const db = handle().db;
    const tickets = await db
      .selectFrom('tickets')
      .select(['number', 'created_at', 'updated_at', 'resolved_at', 'closed_at'])
      .orderBy('id')
      .execute();
    expect(tickets.length).toBe(36);
    const ticketTimes = tickets.flatMap((t) => [
      t.created_at,
      t.updated_at,
      t.resolved_at ?? 0,
      t.closed_at ?? 0,
    ]);
    const entries = await db.selectFrom('thread_entries').select('created_at').execute();
    const events = await db.selectFrom('ticket_events').select('created_at').execute();
    const latest = Math.max(
      ...ticketTimes,
      ...entries.map((e) => e.created_at),
      ...events.map((e) => e.created_at),
    );
    expect(latest).toBeLessThan(T0);
    expect(Math.min(...tickets.map((t) => t.created_at))).toBeGreaterThan(T0 - 22 * DAY);
    const opened = tickets.map((t) => t.created_at);
    expect(opened).toEqual([...opened].sort((a, b) => a - b));
    // The newest ticket is recent, so the queues look alive.
    expect(T0 - opened[opened.length - 1]!).toBeLessThan(2 * DAY);
  });

  it('seeds once', async () => {
    expect(await seedDemo(handle().db, T0 + DAY, testLog)).toBe(false);
  });
});
