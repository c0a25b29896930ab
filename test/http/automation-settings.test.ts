import { afterAll, beforeAll, expect, it } from 'vitest';
import { SETTINGS } from '../../src/contract/settings.contract.ts';
import { describeEachDialect } from '../support/db.ts';
import { PASSWORDS, startHarness, type Harness, type Session } from '../support/http.ts';

// The automation and lifecycle settings through the admin API: what rules and
// the scheduler read (time zone, pass interval, reopen window, auto-close, reminders).

describeEachDialect('automation settings', (handle) => {
  let api: Harness;
  let admin: Session;
  beforeAll(async () => {
    api = await startHarness(handle().db);
    admin = await api.login('admin@deskline.local', PASSWORDS.admin);
  });
  afterAll(() => api?.close());

  it('the automation and lifecycle settings, validated', async () => {
    const bad = await admin.request('PUT', '/api/v1/settings/automation', {
      timezone: 'Mars/Olympus',
      schedulerSeconds: 30,
    });
    expect(bad.status).toBe(422);
    const ok = await admin.request('PUT', '/api/v1/settings/automation', {
      timezone: 'Europe/Berlin',
      schedulerSeconds: 60,
    });
    expect(ok.json).toEqual({ timezone: 'Europe/Berlin', schedulerSeconds: 60 });
    const life = await admin.request('PUT', '/api/v1/settings/lifecycle', {
      reopenWindowDays: 10,
      autoCloseDays: 5,
      reminderDays: null,
    });
    expect(life.json).toEqual({ reopenWindowDays: 10, autoCloseDays: 5, reminderDays: null });
    const badLife = await admin.request('PUT', '/api/v1/settings/lifecycle', {
      reopenWindowDays: 10,
      autoCloseDays: 5,
      reminderDays: 0,
    });
    expect(badLife.status).toBe(422);
    expect((await admin.get('/api/v1/settings/lifecycle')).as(SETTINGS.lifecycle).reminderDays).toBeNull();
  });
});
