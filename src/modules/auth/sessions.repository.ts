import type { Db } from '../../db/database.ts';
import type { SessionsTable } from '../../db/schema.ts';

// sessions: one row per cookie session, keyed by the sha256 of its token.

export async function insertSession(db: Db, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export function findSession(db: Db, idHash: string) {
  return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

/** Slides the session's expiry from now. */
export async function touchSession(db: Db, idHash: string, now: number, expiresAt: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of an account, but the one named by `except`. */
export async function deleteSessionsOf(
  db: Db,
  subject: { type: SessionsTable['subject_type']; id: number },
  except?: string,
): Promise<void> {
  let q = db
    .deleteFrom('sessions')
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id);
  if (except !== undefined) q = q.where('id_hash', '!=', except);
  await q.execute();
}
