import { beforeAll, expect, it } from 'vitest';
import { runSchedulerPass } from '../../src/jobs/scheduler.ts';
import { requestAccessLink } from '../../src/modules/auth/access-links.service.ts';
import { describeEachDialect } from '../support/db.ts';
import { loadDesk, makeDeps, seedDesk, T0, type Desk } from '../support/factories.ts';

// The scheduler's housekeeping: mailed links go a day after they expire
// (a pending sign-up's password hash with them), Idempotency-Key claims a day
// after they were made; younger rows stay, and a pass deletes a bounded batch.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describeEachDialect('scheduler housekeeping', (handle) => {
  let desk: Desk;

  beforeAll(async () => {
    await seedDesk(handle().db);
    desk = await loadDesk(handle().db);
  });

  const linkCount = async () =>
    Number(
      (
        await desk.db
          .selectFrom('access_links')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const claimKeys = async () =>
    (await desk.db.selectFrom('idempotency_keys').select('key').orderBy('key').execute()).map((r) => r.key);

  it('deletes links a day past their expiry and day-old claims, and keeps the rest', async () => {
    // One link asked at T0 (expires T0 + 24 h), another 30 hours later.
    await requestAccessLink(makeDeps(desk.db, T0), { email: 'karen@example.com' });
    await requestAccessLink(makeDeps(desk.db, T0 + 30 * HOUR), { email: 'karen@example.com' });
    expect(await linkCount()).toBe(2);
    const claim = (key: string, at: number) => ({
      scope: 'key:1',
      key,
      request_hash: 'h',
      status: 201,
      body: '{}',
      created_at: at,
    });
    await desk.db
      .insertInto('idempotency_keys')
      .values([claim('old', T0), claim('fresh', T0 + 40 * HOUR)])
      .execute();

    // T0 + 49 h: the first link expired 25 h ago, the second is still live; the old claim is 49 h old.
    const report = await runSchedulerPass(makeDeps(desk.db, T0 + 49 * HOUR));
    expect(report.purged).toEqual({ links: 1, claims: 1 });
    expect(await linkCount()).toBe(1);
    expect(await claimKeys()).toEqual(['fresh']);

    // Nothing more is due: a second pass deletes nothing.
    expect((await runSchedulerPass(makeDeps(desk.db, T0 + 49 * HOUR))).purged).toEqual({
      links: 0,
      claims: 0,
    });
    // Two days later both are gone.
    expect((await runSchedulerPass(makeDeps(desk.db, T0 + 4 * DAY))).purged).toEqual({ links: 1, claims: 1 });
    expect([await linkCount(), await claimKeys()]).toEqual([0, []]);
  });
});
