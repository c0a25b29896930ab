import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { IdempotencyClaim } from './tickets.idempotency.ts';

// The Idempotency-Key claims of ticket creation (tickets.idempotency.ts says what they mean).

/** The claim of this caller's key, if any. */
export function findClaimRow(db: Db, claim: IdempotencyClaim) {
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'body'])
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .executeTakeFirst();
}

/**
 * Claims the key as the transaction's first write: a concurrent request with
 * the same key waits on the primary key (PostgreSQL) instead of doing the
 * work twice, then fails with a duplicate key and replays the winner.
 */
export async function claimKey(trx: Db, claim: IdempotencyClaim, now: number): Promise<void> {
  await trx
    .insertInto('idempotency_keys')
    .values({
      scope: claim.scope,
      key: claim.key,
      request_hash: claim.requestHash,
      status: 0,
      body: '{}',
      created_at: now,
    })
    .execute();
}

/** Records the answer on the claim, in the same transaction: only a committed ticket is ever replayed. */
export async function completeClaim(trx: Db, claim: IdempotencyClaim, ticketId: number): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set({ status: 201, body: JSON.stringify({ ticketId }) })
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .execute();
}

/**
 * Claims older than a day may go (retries come within minutes, and the table
 * must not grow forever): up to `limit` of them per call, oldest first through
 * their index, so one scheduler pass never holds the writer for long.
 */
export async function pruneClaims(
  db: Db,
  now: number,
  keepMs = 24 * 60 * 60 * 1000,
  limit = 5_000,
): Promise<number> {
  const old = sql`select scope, ${sql.ref('key')} from idempotency_keys
    where created_at < ${now - keepMs} order by created_at limit ${limit}`;
  const r = await sql`delete from idempotency_keys where (scope, ${sql.ref('key')}) in (${old})`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
