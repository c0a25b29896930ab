import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { isoOrNull } from '../../contract/instant.contract.ts';
import type { AdminTableName, ErrorCode, Resource } from '../../contract/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { isUniqueViolation } from '../tickets/tickets.idempotency.ts';
import * as rows from './directory.admin.repository.ts';
import type { IdOrName } from './directory.repository.ts';

export type { Row } from './directory.admin.repository.ts';
type Row = rows.Row;

// Create / update / delete for the admin-managed tables (departments, teams,
// help topics, priorities, statuses, SLA plans, organizations, mailboxes,
// mail templates, routing rules), each described once as an AdminTable
// (directory.admin-tables.ts and the `*.admin-tables.ts` of mail, sla and
// routing). Each write is one transaction; afterwards the shared reference
// snapshot is dropped so the change shows at once.

export interface AdminTable<C extends z.ZodType = z.ZodType, U extends z.ZodType = z.ZodType> {
  /** Singular, snake_case: used in error codes (`department_not_found`, `department_exists`, `department_in_use`). */
  name: AdminTableName;
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
  /** What rows carry besides their columns for the API (a team's members), read for many rows at once. */
  details?(db: Db, rows: Row[]): Promise<Row[]>;
}

// Small pieces every table description uses: names, instants, flags, references, partial updates.

export const Name = z.string().trim().min(1).max(100);
export const iso = isoOrNull;
export const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0);

/** Resolves an optional reference; null clears, undefined leaves alone. */
export async function refOf(
  trx: Db,
  ref: IdOrName | null | undefined,
  find: (db: Db, r: IdOrName) => Promise<{ id: number } | undefined>,
  what: Resource,
): Promise<number | null | undefined> {
  if (ref === undefined || ref === null) return ref;
  const row = await find(trx, ref);
  if (!row) throw notFound(what);
  return row.id;
}

/** Drops undefined values: a PATCH changes only what it names. */
export const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const detailed = async (db: Db, t: AdminTable, list: Row[]) => (t.details ? t.details(db, list) : list);

export async function listRows(db: Db, t: AdminTable): Promise<Row[]> {
  return detailed(db, t, await rows.listRows(db, t.table, t.orderBy ?? ['id']));
}

async function getRow(db: Db, t: AdminTable, id: number): Promise<Row> {
  const row = await rows.findRow(db, t.table, id);
  if (!row) throw notFound(t.name);
  return row;
}

/** One row with its details; 404 `<name>_not_found` when there is none. */
export async function readRow(db: Db, t: AdminTable, id: number): Promise<Row> {
  const [row] = await detailed(db, t, [await getRow(db, t, id)]);
  return row!;
}

async function write<T>(deps: Deps, t: AdminTable, work: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(deps, work);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError(`${t.name}_exists`, 409, `A ${t.name.replace(/_/g, ' ')} with that name exists`);
    throw err;
  } finally {
    deps.reference?.invalidate();
  }
}

/** Creates a row; answers it with its details, read after the commit. */
export async function createRow(deps: Deps, t: AdminTable, raw: unknown): Promise<Row> {
  const input = parseInput(t.create, raw) as Record<string, unknown>;
  const row = await write(deps, t, async (trx) => {
    const created = await rows.insertRow(trx, t.table, await t.toRow(trx, input, deps.clock.now()));
    await t.afterWrite?.(trx, created, input);
    return created;
  });
  return (await detailed(deps.db, t, [row]))[0]!;
}

/** Changes a row; answers it with its details, read after the commit. */
export async function updateRow(deps: Deps, t: AdminTable, id: number, raw: unknown): Promise<Row> {
  const input = parseInput(t.update, raw) as Record<string, unknown>;
  const row = await write(deps, t, async (trx) => {
    const current = await getRow(trx, t, id);
    const values = await t.toRow(trx, input, deps.clock.now(), current);
    const changed =
      Object.keys(values).length === 0 ? current : await rows.updateRow(trx, t.table, id, values);
    await t.afterWrite?.(trx, changed, input);
    return changed;
  });
  return (await detailed(deps.db, t, [row]))[0]!;
}

export function deleteRow(deps: Deps, t: AdminTable, id: number): Promise<void> {
  return write(deps, t, async (trx) => {
    const row = await getRow(trx, t, id);
    t.guardDelete?.(row);
    for (const [table, column] of t.usedBy)
      if (await rows.anyRowWith(trx, table, column, id))
        throw new AppError(
          // The catalog lists `_in_use` for the tables some row refers to (error-catalog.test.ts checks).
          `${t.name}_in_use` as ErrorCode,
          409,
          `This ${t.name.replace(/_/g, ' ')} is still used by ${table.replace(/_/g, ' ')}`,
        );
    await rows.deleteRow(trx, t.table, id);
  });
}
