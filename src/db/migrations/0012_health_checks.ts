import type { AnyDb } from './helpers.ts';

// /readyz proves that the database accepts a write by committing a tiny upsert
// here: a SELECT answers on a full disk, a read-only file system or a replica.

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('health_checks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('health_checks').execute();
}
