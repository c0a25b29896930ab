import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { buildHttpApp } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { describeEachDialect } from '../support/db.ts';
import { testLog } from '../support/log.ts';

const CONFIG = { publicUrl: 'http://localhost:8080' } as const;

describeEachDialect('health endpoints', (handle) => {
  it('reports ready on a migrated database', async () => {
    const app = await buildHttpApp({ db: handle().db, clock: systemClock, log: testLog }, CONFIG);
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect([res.statusCode, res.json()]).toEqual([
      200,
      { status: 'ready', database: 'ok', pendingMigrations: [] },
    ]);
    await app.close();
  });
});

it('readyz answers 503 with the pending migrations on an unmigrated database', async () => {
  const h = openDatabase('sqlite::memory:');
  const app = await buildHttpApp({ db: h.db, clock: systemClock, log: testLog }, CONFIG);
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  expect(res.statusCode).toBe(503);
  expect(res.json()).toMatchObject({
    status: 'unavailable',
    pendingMigrations: [
      '0001_initial',
      '0002_api',
      '0003_mail',
      '0004_automation',
      '0005_web',
      '0006_surveys',
      '0007_reports',
      '0008_dashboard',
      '0009_report_facts',
      '0010_report_filters',
      '0011_accounts_confirmations',
      '0012_health_checks',
      '0013_link_expiry',
    ],
  });
  expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  await app.close();
  await h.close();
});
