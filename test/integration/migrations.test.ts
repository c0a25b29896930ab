import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest, pendingMigrations } from '../../src/db/migrator.ts';
import { describeEachDialect } from '../support/db.ts';

describeEachDialect('migrations', (handle, dialect) => {
  it('applies every migration and reports none pending', async () => {
    expect(await pendingMigrations(handle().db)).toEqual([]);
    expect(await migrateToLatest(handle().db)).toEqual([]);
  });

  it('enforces foreign keys', async () => {
    const { db } = handle();
    await expect(
      db
        .insertInto('agent_departments')
        .values({ agent_id: 999, department_id: 999, permissions: 'view' })
        .execute(),
    ).rejects.toThrow(/foreign key/i);
  });

  it('builds the queue indexes', async () => {
    const { db } = handle();
    const rows =
      dialect === 'sqlite'
        ? await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 'tickets'`.execute(db)
        : await sql<{
            name: string;
          }>`select indexname as name from pg_indexes where tablename = 'tickets' and schemaname = current_schema()`.execute(
            db,
          );
    const names = rows.rows.map((r) => r.name);
    for (const idx of [
      'tickets_dept_open',
      'tickets_dept_unassigned',
      'tickets_assignee_active',
      'tickets_team_active',
      'tickets_sla_check',
    ]) {
      expect(names).toContain(idx);
    }
  });
});
