import { z } from 'zod';
import { invalid } from './errors.ts';

// Keyset paging: a cursor is the sort key of the last row handed out (a few
// integers), opaque to clients. Lists never use OFFSET.

export const encodeCursor = (key: readonly number[]): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

/** The key of `size` integers a cursor holds; anything else is 422 `invalid_cursor`. */
export function decodeCursor(cursor: string, size: number): number[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === size && key.every((n) => Number.isSafeInteger(n)))
      return key as number[];
  } catch {
    // reported below
  }
  throw invalid('invalid_cursor', 'The cursor is not one this list handed out');
}

/** Query fields of an admin list paged newest first by id. */
export const Paging = {
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
};

/** One page of rows (newest first) and the cursor of the next, if any. */
export function pageOf<T extends { id: number }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
}
