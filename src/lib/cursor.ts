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
