import type { AnyDb } from './helpers.ts';

// The scheduler's housekeeping deletes mailed links some time after they
// expire (a pending sign-up keeps a password hash until then): by expiry,
// through an index, a batch at a time.

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('access_links_expires').on('access_links').column('expires_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('access_links_expires').execute();
}
