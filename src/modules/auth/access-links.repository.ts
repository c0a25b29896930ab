import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AccessLinksTable, LinkPurpose } from '../../db/schema.ts';

// access_links: every mailed link (and notice) by the sha256 of its token;
// the rows also count the account mail an address had.

export async function countLinksSince(db: Db, address: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('access_links')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('address', '=', address)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertLink(db: Db, row: Insertable<AccessLinksTable>): Promise<void> {
  await db.insertInto('access_links').values(row).execute();
}

/** The unused, unexpired link with this token hash, if it is for one of these purposes. */
export function findLiveLink(db: Db, tokenHash: string, purposes: LinkPurpose[], now: number) {
  return db
    .selectFrom('access_links')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Marks a link used (forgetting a sign-up's password hash); false when it was used already. */
export async function markLinkUsed(db: Db, tokenHash: string, now: number): Promise<boolean> {
  const done = await db
    .updateTable('access_links')
    .set({ used_at: now, password_hash: null })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** Ends the unused links of a customer, or the unused sign-ups of an address. */
export async function endUnusedLinks(
  db: Db,
  of: { customerId: number } | { address: string; purpose: LinkPurpose },
  now: number,
): Promise<void> {
  let q = db
    .updateTable('access_links')
    .set({ used_at: now, password_hash: null })
    .where('used_at', 'is', null);
  q =
    'customerId' in of
      ? q.where('customer_id', '=', of.customerId)
      : q.where('address', '=', of.address).where('purpose', '=', of.purpose);
  await q.execute();
}

/** Deletes up to `limit` links that expired before `before`; returns how many went. */
export async function deleteExpiredLinks(db: Db, before: number, limit: number): Promise<number> {
  const expired = db
    .selectFrom('access_links')
    .select('token_hash')
    .where('expires_at', '<', before)
    .limit(limit);
  const done = await db.deleteFrom('access_links').where('token_hash', 'in', expired).executeTakeFirst();
  return Number(done.numDeletedRows);
}
