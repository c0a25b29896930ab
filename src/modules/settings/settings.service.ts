import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { DAY } from '../../lib/clock.ts';

/**
 * Help-desk-wide settings, stored as JSON rows in `settings`. Each has a schema
 * and a default, so a missing or older row never breaks a read.
 */
const schemas = {
  /** sequence: offset + n in `format` ('#' = digit); random: osTicket style random digits. */
  ticket_number: z.object({
    mode: z.enum(['sequence', 'random']),
    format: z.string().regex(/#/, 'needs at least one #'),
    offset: z.number().int().min(0),
  }),
  lifecycle: z.object({
    reopenWindowDays: z.number().min(0),
    autoCloseDays: z.number().min(0).nullable(),
  }),
  intake: z.object({
    maxSubjectLength: z.number().int().positive(),
    maxBodyLength: z.number().int().positive(),
  }),
};

export type SettingKey = keyof typeof schemas;
export type Setting<K extends SettingKey> = z.infer<(typeof schemas)[K]>;

const defaults: { [K in SettingKey]: Setting<K> } = {
  ticket_number: { mode: 'sequence', format: '######', offset: 100000 },
  lifecycle: { reopenWindowDays: 14, autoCloseDays: 7 },
  intake: { maxSubjectLength: 255, maxBodyLength: 256 * 1024 },
};

export async function getSetting<K extends SettingKey>(db: Db, key: K): Promise<Setting<K>> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return defaults[key];
  const parsed = schemas[key].safeParse({ ...defaults[key], ...(JSON.parse(row.value) as object) });
  return parsed.success ? (parsed.data as Setting<K>) : defaults[key];
}

export async function putSetting<K extends SettingKey>(db: Db, key: K, value: Setting<K>, now: number) {
  const valid = schemas[key].parse(value);
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(valid), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(valid), updated_at: now }))
    .execute();
}

export async function lifecycleRules(db: Db) {
  const s = await getSetting(db, 'lifecycle');
  return {
    reopenWindowMs: s.reopenWindowDays * DAY,
    autoCloseAfterMs: s.autoCloseDays === null ? null : s.autoCloseDays * DAY,
  };
}
