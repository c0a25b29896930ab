import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { IntakeRejectionsTable } from '../../db/schema.automation.ts';

// intake_rejections: every request a routing rule refused, kept for the admin.

export async function insertRejection(db: Db, row: Insertable<IntakeRejectionsTable>): Promise<number> {
  const r = await db.insertInto('intake_rejections').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Newest first, keyset-paged by id. */
export function listRejections(db: Db, page: { beforeId?: number | undefined; limit: number }) {
  let q = db.selectFrom('intake_rejections').selectAll();
  if (page.beforeId !== undefined) q = q.where('id', '<', page.beforeId);
  return q.orderBy('id', 'desc').limit(page.limit).execute();
}
