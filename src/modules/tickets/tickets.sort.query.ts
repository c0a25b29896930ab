import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import type { Ticket } from '../../db/schema.ts';
import { invalid } from '../../lib/errors.ts';
import { SORTS, type SortKey } from '../../contract/tickets.contract.ts';

/*
 * The orders a ticket list can be read in (SORTS, in the contract), each with a total keyset order
 * (the ticket id breaks ties) so a cursor is the key of the last row handed
 * out and paging never uses OFFSET. `-x` is the descending order of `x`.
 *
 * - priority: highest first, then oldest (the working order of the queues);
 * - updated / -updated: last activity; created / -created: age;
 * - due: SLA due soonest first, tickets without an SLA target last.
 */

/**
 * A sort no index serves is a sort of the whole matching set, so it is only
 * offered over a set of at most this many tickets (counted through the
 * list's index first); larger lists answer 422 `sort_not_available`.
 */
export const BOUNDED_SORT_MAX = 1000;

/** Orders an index serves for filter lists (tickets_updated). */
export const FILTER_SORTS: readonly SortKey[] = ['-updated', 'updated'];

export const sortNotAvailable = (sort: SortKey) =>
  invalid(
    'sort_not_available',
    `Sorting by "${sort}" works on lists of at most ${BOUNDED_SORT_MAX} tickets; narrow the list or sort by one of its own orders`,
  );

type Dir = 'asc' | 'desc';
interface Part {
  expr: RawBuilder<number>;
  dir: Dir;
  of: (t: Ticket) => number;
}

/** No SLA target sorts after every real due time (an integer both dialects compare exactly). */
const NO_DUE = Number.MAX_SAFE_INTEGER;
const col = (name: keyof Ticket) => sql<number>`${sql.ref(`tickets.${name}`)}`;

/**
 * The parts of a sort, the id last. `dueNeverNull` (the Overdue queue, whose
 * index holds only tickets with a due time) lets the due order read the
 * column itself, so the index serves it.
 */
export function partsOf(sort: SortKey, dueNeverNull = false): Part[] {
  const id: Part = { expr: col('id'), dir: 'asc', of: (t) => t.id };
  const one = (name: 'updated_at' | 'created_at', dir: Dir): Part[] => [
    { expr: col(name), dir, of: (t) => t[name] },
    { ...id, dir },
  ];
  switch (sort) {
    case 'priority':
      return [
        { expr: col('priority_level'), dir: 'desc', of: (t) => t.priority_level },
        { expr: col('created_at'), dir: 'asc', of: (t) => t.created_at },
        id,
      ];
    case '-updated':
      return one('updated_at', 'desc');
    case 'updated':
      return one('updated_at', 'asc');
    case '-created':
      return one('created_at', 'desc');
    case 'created':
      return one('created_at', 'asc');
    case 'due':
      return [
        dueNeverNull
          ? { expr: col('sla_due_at'), dir: 'asc', of: (t) => t.sla_due_at ?? NO_DUE }
          : {
              expr: sql<number>`coalesce(tickets.sla_due_at, ${sql.lit(NO_DUE)})`,
              dir: 'asc',
              of: (t) => t.sla_due_at ?? NO_DUE,
            },
        id,
      ];
  }
}

/** Rows after `key` in the order of `parts`: a row-value range when every part runs one way (index friendly). */
export function afterKey(parts: Part[], key: readonly number[]): Expression<SqlBool> {
  const dirs = new Set(parts.map((p) => p.dir));
  if (dirs.size === 1) {
    const op = sql.raw(parts[0]!.dir === 'asc' ? '>' : '<');
    return sql<SqlBool>`(${sql.join(parts.map((p) => p.expr))}) ${op} (${sql.join(key.map((v) => sql`${v}`))})`;
  }
  // Mixed directions: (a beyond) or (a equal and b beyond) or …
  const alternatives = parts.map((p, i) => {
    const equal = parts.slice(0, i).map((q, j) => sql<SqlBool>`${q.expr} = ${key[j]}`);
    const beyond = sql<SqlBool>`${p.expr} ${sql.raw(p.dir === 'asc' ? '>' : '<')} ${key[i]}`;
    return sql<SqlBool>`(${sql.join([...equal, beyond], sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(alternatives, sql` or `)})`;
}

export const keyOf = (parts: Part[], t: Ticket): number[] => parts.map((p) => p.of(t));

/** In-memory comparison in the same order, to merge pages read per department. */
export const compareBy =
  (parts: Part[]) =>
  (a: Ticket, b: Ticket): number => {
    for (const p of parts) {
      const d = p.of(a) - p.of(b);
      if (d !== 0) return p.dir === 'asc' ? d : -d;
    }
    return 0;
  };

/** A cursor names its sort, so one handed out for another order is refused (422 invalid_cursor). */
export const encodeSortCursor = (sort: SortKey, key: readonly number[]): string =>
  encodeCursor([SORTS.indexOf(sort), ...key]);

export function decodeSortCursor(cursor: string, sort: SortKey, size: number): number[] {
  const [tag, ...key] = decodeCursor(cursor, size + 1);
  if (tag !== SORTS.indexOf(sort))
    throw invalid('invalid_cursor', 'The cursor belongs to another sort order');
  return key;
}
