import { z } from 'zod';
import { DAY } from '../../lib/clock.ts';
import { LocalDate } from '../../contract/instant.contract.ts';

// The query every report shares: an inclusive local date range and the
// filters; resolved once per request (reports.service.ts) into a Scope, which
// adds the zone's bounds and the departments the asker may see.

const id = z.coerce.number().int().positive();
// A calendar date in the desk's years (`format: date`: no 30 February); resolveScope answers 422 `invalid_date` for one that is not.
const date = LocalDate.meta({ format: 'date' });

export const CHANNELS = ['email', 'web', 'phone', 'api', 'other'] as const;

export const ReportQuery = z.strictObject({
  from: date,
  to: date,
  department: id.optional(),
  team: id.optional(),
  agent: id.optional(),
  topic: id.optional(),
  priority: id.optional(),
  channel: z.enum(CHANNELS).optional(),
  organization: id.optional(),
  interval: z.enum(['day', 'week']).default('day'),
  format: z.enum(['json', 'csv']).default('json'),
});
export type ReportQueryIn = z.infer<typeof ReportQuery>;

export const MAX_RANGE_DAYS = 366;

export interface Filters {
  department?: number;
  team?: number;
  agent?: number;
  topic?: number;
  priority?: number;
  channel?: (typeof CHANNELS)[number];
  organization?: number;
}

/** A resolved report request: UTC bounds, the zone's periods and who may be counted. */
export interface Scope {
  zone: string;
  fromDay: number;
  toDay: number;
  start: number;
  end: number;
  interval: 'day' | 'week';
  filters: Filters;
  /** Departments the asker may see; null = every department (admins). */
  departments: number[] | null;
}

export const dayNumber = (s: string): number | null => {
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s ? null : t / DAY;
};

export const dayLabel = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

/** First local day of the period holding `day` (weeks start on Monday; 1970-01-01 was a Thursday). */
export const periodOf = (scope: Scope, day: number): number =>
  scope.interval === 'day' ? day : Math.max(scope.fromDay, day - ((day + 3) % 7));

/** Every period's first day in the range, in order. */
export function periods(scope: Scope): number[] {
  const out: number[] = [];
  for (let d = scope.fromDay; d <= scope.toDay; d++) if (periodOf(scope, d) === d) out.push(d);
  return out;
}

/** Local days, inclusive; `to` null: up to the newest fact. */
export interface Days {
  from: number;
  to: number | null;
}
export const rangeOf = (scope: Scope): Days => ({ from: scope.fromDay, to: scope.toDay });
