import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { isUniqueViolation } from '../tickets/tickets.idempotency.ts';

// Create / update / delete for the admin-managed tables (departments, teams,
// help topics, priorities, statuses, SLA plans, organizations), described
// once per table in directory.resources.ts. Each write is one transaction;
// afterwards the shared reference snapshot is dropped so the change shows at once.

export type Row = Record<string, unknown> & { id: number };
/** The tables here are chosen at run time, so they are typed as plain column maps. */
type Loose = Kysely<Record<string, Row>>;
const loose = (db: Db) => db as unknown as Loose;

export interface Resource<C extends z.ZodType = z.ZodType, U extends z.ZodType = z.ZodType> {
  /** Singular, snake_case: used in error codes (`department_not_found`, `department_exists`, `department_in_use`). */
  name: string;
  table: string;
  create: C;
  update: U;
  /** Input → columns; resolves references by name or id. `current` is set on update. */
  toRow(trx: Db, input: Partial<z.output<C>>, now: number, current?: Row): Promise<Record<string, unknown>>;
  /** List order (default: id). */
  orderBy?: string[];
  /** Where a row may still be referenced: deleting it then answers 409 `<name>_in_use`. */
  usedBy: [table: string, column: string][];
  /** Extra refusal before a delete (e.g. system statuses). */
  guardDelete?(row: Row): void;
  /** Work after an insert or update in the same transaction (e.g. team members). */
  afterWrite?(trx: Db, row: Row, input: Partial<z.output<C>>): Promise<void>;
}

export function listRows(db: Db, r: Resource): Promise<Row[]> {
  let q = loose(db).selectFrom(r.table).selectAll();
  for (const col of r.orderBy ?? ['id']) q = q.orderBy(col);
  return q.execute() as Promise<Row[]>;
}

export async function getRow(db: Db, r: Resource, id: number): Promise<Row> {
  const row = (await loose(db).selectFrom(r.table).selectAll().where('id', '=', id).executeTakeFirst()) as
    Row | undefined;
  if (!row) throw notFound(r.name);
  return row;
}

async function write<T>(deps: Deps, r: Resource, work: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(deps, work);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError(`${r.name}_exists`, 409, `A ${r.name.replace(/_/g, ' ')} with that name exists`);
    throw err;
  } finally {
    deps.reference?.invalidate();
  }
}

export function createRow(deps: Deps, r: Resource, raw: unknown): Promise<Row> {
  const input = parseInput(r.create, raw) as Record<string, unknown>;
  return write(deps, r, async (trx) => {
    const values = await r.toRow(trx, input, deps.clock.now());
    const row = (await loose(trx)
      .insertInto(r.table)
      .values(values as Row)
      .returningAll()
      .executeTakeFirstOrThrow()) as Row;
    await r.afterWrite?.(trx, row, input);
    return row;
  });
}

export function updateRow(deps: Deps, r: Resource, id: number, raw: unknown): Promise<Row> {
  const input = parseInput(r.update, raw) as Record<string, unknown>;
  return write(deps, r, async (trx) => {
    const current = await getRow(trx, r, id);
    const values = await r.toRow(trx, input, deps.clock.now(), current);
    const row =
      Object.keys(values).length === 0
        ? current
        : ((await loose(trx)
            .updateTable(r.table)
            .set(values)
            .where('id', '=', id)
            .returningAll()
            .executeTakeFirstOrThrow()) as Row);
    await r.afterWrite?.(trx, row, input);
    return row;
  });
}

export function deleteRow(deps: Deps, r: Resource, id: number): Promise<void> {
  return write(deps, r, async (trx) => {
    const row = await getRow(trx, r, id);
    r.guardDelete?.(row);
    for (const [table, column] of r.usedBy) {
      const user = await loose(trx)
        .selectFrom(table)
        .select('id')
        .where(column, '=', id)
        .limit(1)
        .executeTakeFirst();
      if (user)
        throw new AppError(
          `${r.name}_in_use`,
          409,
          `This ${r.name.replace(/_/g, ' ')} is still used by ${table.replace(/_/g, ' ')}`,
        );
    }
    await loose(trx).deleteFrom(r.table).where('id', '=', id).execute();
  });
}
