import { z } from 'zod';

// Every point in time the desk accepts, and how a stored one is shown.
// Instants are epoch milliseconds UTC. Inputs are held to the years 2000–2200:
// nothing a help desk plans lies outside them, and a value far outside (the
// largest safe integer, say) cannot even be turned into a date, which made
// every list holding such a ticket fail. Rows written before this bound
// existed may still hold such values, so reading never trusts them either.

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2200;
export const INSTANT_MIN = Date.UTC(FIRST_YEAR, 0, 1);
/** The last millisecond of the last year. */
export const INSTANT_MAX = Date.UTC(LAST_YEAR + 1, 0, 1) - 1;

const OUT_OF_RANGE = `must be a time between the years ${FIRST_YEAR} and ${LAST_YEAR}`;

export const isInstant = (ms: number): boolean =>
  Number.isInteger(ms) && ms >= INSTANT_MIN && ms <= INSTANT_MAX;

/** A time as epoch milliseconds (UTC), within the years the desk accepts. */
export const Instant = z
  .number()
  .int()
  .min(INSTANT_MIN, OUT_OF_RANGE)
  .max(INSTANT_MAX, OUT_OF_RANGE)
  .describe(`Epoch milliseconds (UTC), years ${FIRST_YEAR}–${LAST_YEAR}`);

/** A time as ISO-8601 text with an offset, within the same years. */
export const InstantText = z.iso
  .datetime({ offset: true })
  .refine((s) => isInstant(Date.parse(s)), OUT_OF_RANGE);

/** A calendar day as YYYY-MM-DD in the same years (whether the day exists is the caller's check). */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected 'YYYY-MM-DD'")
  .refine((s) => {
    const year = Number(s.slice(0, 4));
    return !/^\d{4}/.test(s) || (year >= FIRST_YEAR && year <= LAST_YEAR);
  }, `the year must be between ${FIRST_YEAR} and ${LAST_YEAR}`);

/** JavaScript dates end here; past it toISOString throws. */
const DATE_LIMIT = 8.64e15;

/**
 * A stored instant as ISO-8601 UTC, or null when there is none or it is not
 * a time at all (a value an older version stored unchecked). Never throws, so
 * one bad row cannot fail a whole list.
 */
export function isoOrNull(ms: unknown): string | null {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > DATE_LIMIT) return null;
  return new Date(ms).toISOString();
}

/** The same for a time every row has (created, updated): '' — not a date — for a value that is not a time. */
export const isoText = (ms: unknown): string => isoOrNull(ms) ?? '';
