import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';

// The admin-managed tables as directory.admin.service.ts handles them: the
// table is chosen at run time, so rows are plain column maps.

export type Row = Record<string, unknown> & { id: number };
type Loose = Kysely<Record<string, Row>>;
const loose = (db: Db) => db as unknown as Loose;

export function listRows(db: Db, table: string, orderBy: string[]): Promise<Row[]> {
  let q = loose(db).selectFrom(table).selectAll();
  for (const col of orderBy) q = q.orderBy(col);
  return q.execute() as Promise<Row[]>;
}

export async function findRow(db: Db, table: string, id: number): Promise<Row | undefined> {
  return (await loose(db).selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst()) as
    Row | undefined;
}

export async function insertRow(db: Db, table: string, values: Record<string, unknown>): Promise<Row> {
  return (await loose(db)
    .insertInto(table)
    .values(values as Row)
    .returningAll()
    .executeTakeFirstOrThrow()) as Row;
}

export async function updateRow(
  db: Db,
  table: string,
  id: number,
  values: Record<string, unknown>,
): Promise<Row> {
  return (await loose(db)
    .updateTable(table)
    .set(values)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as Row;
}

export async function deleteRow(db: Db, table: string, id: number): Promise<void> {
  await loose(db).deleteFrom(table).where('id', '=', id).execute();
}

/** Whether some row of `table` has `id` in `column` (a row still in use), or (column 'id') exists. */
export async function anyRowWith(db: Db, table: string, column: string, id: number): Promise<boolean> {
  const row = await loose(db)
    .selectFrom(table)
    .select('id')
    .where(column, '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
