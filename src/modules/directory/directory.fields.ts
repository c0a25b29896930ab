import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../lib/errors.ts';
import type { Ref } from '../tickets/tickets.schemas.ts';
import { isoOrNull } from '../../lib/instant.ts';

// Small pieces every admin resource description uses (directory.resources.ts,
// mail.resources.ts): names, instants, flags, references, partial updates.

export const Name = z.string().trim().min(1).max(100);
export const iso = isoOrNull;
export const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0);

/** Resolves an optional reference; null clears, undefined leaves alone. */
export async function refOf(
  trx: Db,
  ref: z.output<typeof Ref> | null | undefined,
  find: (db: Db, r: string | number) => Promise<{ id: number } | undefined>,
  what: string,
): Promise<number | null | undefined> {
  if (ref === undefined || ref === null) return ref;
  const row = await find(trx, ref);
  if (!row) throw notFound(what);
  return row.id;
}

/** Drops undefined values: a PATCH changes only what it names. */
export const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
