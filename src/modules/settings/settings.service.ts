import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { DAY } from '../../lib/clock.ts';
import type { Deps } from '../../lib/deps.ts';
import { invalid } from '../../lib/errors.ts';
import { enqueue } from '../outbox/outbox.service.ts';
import { REBUILD_JOB } from '../reports/reports.refresh.service.ts';
import { SETTINGS as schemas } from '../../contract/settings.contract.ts';
import * as repo from './settings.repository.ts';

export type SettingKey = keyof typeof schemas;
export type Setting<K extends SettingKey> = z.infer<(typeof schemas)[K]>;

const defaults: { [K in SettingKey]: Setting<K> } = {
  ticket_number: { mode: 'sequence', format: '######', offset: 100000 },
  lifecycle: { reopenWindowDays: 14, autoCloseDays: 7, reminderDays: 3 },
  intake: { maxSubjectLength: 255, maxBodyLength: 256 * 1024 },
  rate_limits: {
    windowSeconds: 60,
    loginPerAccount: 10,
    loginPerIp: 30,
    intakePerKey: 60_000,
    intakePerIp: 30,
  },
  mail: {
    maxMessageBytes: 25 * 1024 * 1024,
    ccAsCollaborators: true,
    agentEmailAs: 'reply',
    autoRepliesPerHour: 5,
    smtpPerIpPerMinute: 3000,
    banned: [],
    fromAddress: 'support@deskline.local',
    fromName: 'Deskline Support',
    alerts: { newTicket: true, assigned: true, customerReplied: true, slaWarning: true },
  },
  automation: { timezone: 'UTC', schedulerSeconds: 30 },
  surveys: {
    enabled: true,
    trigger: 'resolved',
    scale: 'five',
    changeDays: 7,
    notifyLeadAtOrBelow: 2,
    departments: {},
  },
};

export type SettingsSnapshot = { [K in SettingKey]: Setting<K> };

/** A stored value over its default; a row that no longer parses falls back to the default. */
function parseSetting<K extends SettingKey>(key: K, value: string | undefined): Setting<K> {
  if (value === undefined) return defaults[key];
  const parsed = schemas[key].safeParse({ ...defaults[key], ...(JSON.parse(value) as object) });
  return parsed.success ? (parsed.data as Setting<K>) : defaults[key];
}

export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<Setting<K>> {
  return parseSetting(key, await repo.findSettingValue(db, key));
}

export async function readSettings(db: Db): Promise<SettingsSnapshot> {
  const rows = await repo.allSettings(db);
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  return {
    ticket_number: parseSetting('ticket_number', stored.get('ticket_number')),
    lifecycle: parseSetting('lifecycle', stored.get('lifecycle')),
    intake: parseSetting('intake', stored.get('intake')),
    rate_limits: parseSetting('rate_limits', stored.get('rate_limits')),
    mail: parseSetting('mail', stored.get('mail')),
    automation: parseSetting('automation', stored.get('automation')),
    surveys: parseSetting('surveys', stored.get('surveys')),
  };
}

export async function putSetting<K extends SettingKey>(db: Db, key: K, value: Setting<K>, now: number) {
  const valid = schemas[key].parse(value);
  const zoneBefore = key === 'automation' ? (await getSetting(db, 'automation')).timezone : undefined;
  await repo.upsertSetting(db, { key, value: JSON.stringify(valid), now });
  // Report facts are cut into days of the desk's zone: a new zone remakes them.
  if (zoneBefore !== undefined && zoneBefore !== (valid as Setting<'automation'>).timezone)
    await enqueue(db, now, [{ type: REBUILD_JOB, payload: {} }]);
}

/**
 * Replaces a setting from API input: a schema failure is the API's 422 with
 * every problem. The reference snapshot carries the settings, so this process
 * drops its copy (others see the change when theirs expires).
 */
export async function replaceSetting<K extends SettingKey>(
  deps: Pick<Deps, 'db' | 'clock' | 'reference'>,
  key: K,
  raw: unknown,
): Promise<Setting<K>> {
  const { db } = deps;
  const now = deps.clock.now();
  try {
    await putSetting(db, key, raw as Setting<K>, now);
  } catch (err) {
    if (!(err instanceof z.ZodError)) throw err;
    const details = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = details[0];
    throw invalid(
      'validation_failed',
      first ? `${first.path || 'input'}: ${first.message}` : 'invalid input',
      details,
    );
  }
  deps.reference?.invalidate();
  return getSetting(db, key);
}

/** The desk's rules, with a department's own auto-close delay taking precedence when it has one. */
export function lifecycleRules(s: Setting<'lifecycle'>, departmentAutoCloseDays?: number | null) {
  const autoCloseDays = departmentAutoCloseDays ?? s.autoCloseDays;
  return {
    reopenWindowMs: s.reopenWindowDays * DAY,
    autoCloseAfterMs: autoCloseDays === null ? null : autoCloseDays * DAY,
  };
}
