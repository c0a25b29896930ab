import type { Db } from '../../db/database.ts';

// settings: one JSON value per key (the desk's settings, and a few markers such as the demo's).

export async function findSettingValue(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export function allSettings(db: Db) {
  return db.selectFrom('settings').select(['key', 'value']).execute();
}

/** Writes a value, replacing the stored one unless `keep` (then an existing row wins). */
export async function upsertSetting(
  db: Db,
  row: { key: string; value: string; now: number },
  keep = false,
): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key: row.key, value: row.value, updated_at: row.now })
    .onConflict((oc) =>
      keep
        ? oc.column('key').doNothing()
        : oc.column('key').doUpdateSet({ value: row.value, updated_at: row.now }),
    )
    .execute();
}
