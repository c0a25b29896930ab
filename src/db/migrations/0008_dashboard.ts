import type { AnyDb } from './helpers.ts';

// The dashboard's "created today": no index started with created_at, and the
// tickets_updated range of a busy day holds many more tickets than it created.

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('tickets_created').on('tickets').columns(['created_at', 'id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('tickets_created').execute();
}
