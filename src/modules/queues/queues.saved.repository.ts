import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SavedQueuesTable } from '../../db/schema.web.ts';

// Saved custom queues (queues.saved.service.ts decides who may do what).

export type SavedQueueRow = Selectable<SavedQueuesTable>;
type NewSavedQueue = Omit<SavedQueueRow, 'id'>;

/** An agent's own queues and the shared ones, shared first, each group in creation order. */
export function listQueuesOf(db: Db, agentId: number): Promise<SavedQueueRow[]> {
  return db
    .selectFrom('saved_queues')
    .selectAll()
    .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', agentId)]))
    .orderBy(
      ({ ref }) => ref('owner_id'),
      (o) => o.nullsFirst(),
    )
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export function findSavedQueue(db: Db, id: number): Promise<SavedQueueRow | undefined> {
  return db.selectFrom('saved_queues').selectAll().where('id', '=', id).executeTakeFirst();
}

/** How many queues an owner has (null: the shared ones). */
export async function countQueuesOf(db: Db, owner: number | null): Promise<number> {
  const row = await db
    .selectFrom('saved_queues')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('owner_id', owner === null ? 'is' : '=', owner)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function insertSavedQueue(db: Db, row: NewSavedQueue): Promise<SavedQueueRow> {
  return db.insertInto('saved_queues').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateSavedQueueRow(
  db: Db,
  id: number,
  patch: Updateable<SavedQueuesTable>,
): Promise<SavedQueueRow> {
  return db
    .updateTable('saved_queues')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteSavedQueueRow(db: Db, id: number): Promise<void> {
  await db.deleteFrom('saved_queues').where('id', '=', id).execute();
}
