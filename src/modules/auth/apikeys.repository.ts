import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ApiKeysTable } from '../../db/schema.ts';

// api_keys: the sha256 of each key, its scopes and CIDR ranges (JSON), and
// when it was last used and revoked.

export async function insertKey(db: Db, row: Insertable<ApiKeysTable>): Promise<number> {
  const r = await db.insertInto('api_keys').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Every key with its agent's address, in id order. */
export function listKeys(db: Db) {
  return db
    .selectFrom('api_keys')
    .leftJoin('agents', 'agents.id', 'api_keys.agent_id')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.prefix',
      'api_keys.scopes',
      'api_keys.cidrs',
      'api_keys.created_at',
      'api_keys.last_used_at',
      'api_keys.revoked_at',
      'agents.email as agent_email',
    ])
    .orderBy('api_keys.id')
    .execute();
}

export function findKeyByHash(db: Db, hash: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'agent_id', 'scopes', 'cidrs', 'revoked_at'])
    .where('key_hash', '=', hash)
    .executeTakeFirst();
}

export async function keyExists(db: Db, id: number): Promise<boolean> {
  return (await db.selectFrom('api_keys').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Revokes a key that is not revoked yet; false when none was (unknown, or revoked before). */
export async function revokeKey(db: Db, id: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function touchKey(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}
