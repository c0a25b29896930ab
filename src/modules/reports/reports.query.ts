import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { DAY } from '../../lib/clock.ts';
import { LocalDate } from '../../lib/instant.ts';
import { forbidden, invalid, unknownFilter } from '../../lib/errors.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { getSetting } from '../settings/settings.service.ts';
import { localDayOf, wallToUtc } from '../sla/sla.timezone.ts';

// The query every report shares: an inclusive local date range, the filters,
// and the department scope of the asking agent, resolved once per request.

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

const dayNumber = (s: string): number | null => {
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s ? null : t / DAY;
};

export const dayLabel = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

// Each filter is checked against its table so a typo answers 422, not an empty report.
const FILTER_TABLES = {
  department: 'departments',
  team: 'teams',
  agent: 'agents',
  topic: 'help_topics',
  priority: 'priorities',
  organization: 'organizations',
} as const;

export async function resolveScope(db: Db, actor: Actor, q: ReportQueryIn): Promise<Scope> {
  const fromDay = dayNumber(q.from);
  const toDay = dayNumber(q.to);
  if (fromDay === null || toDay === null) throw invalid('invalid_date', 'from and to must be real dates');
  if (toDay < fromDay) throw invalid('range_reversed', 'to must not be before from');
  if (toDay - fromDay + 1 > MAX_RANGE_DAYS)
    throw invalid('range_too_long', `A report covers at most ${MAX_RANGE_DAYS} days`);
  for (const [key, table] of Object.entries(FILTER_TABLES) as [keyof typeof FILTER_TABLES, string][]) {
    const value = q[key];
    if (value === undefined) continue;
    const row = await db
      .selectFrom(table as 'departments')
      .select('id')
      .where('id', '=', value)
      .executeTakeFirst();
    if (!row) throw unknownFilter(key, value);
  }
  if (actor.kind === 'customer') throw forbidden('Reports are for staff');
  // Admins and desk-wide API keys (the system actor) see every department.
  const departments = actor.kind === 'agent' && actor.role !== 'admin' ? [...actor.departments.keys()] : null;
  if (departments && q.department !== undefined && !departments.includes(q.department))
    throw forbidden('You may only report on your own departments');
  const zone = (await getSetting(db, 'automation')).timezone;
  const { from: _f, to: _t, interval, format: _fmt, ...filters } = q;
  return {
    zone,
    fromDay,
    toDay,
    start: wallToUtc(zone, fromDay, 0),
    end: wallToUtc(zone, toDay + 1, 0),
    interval,
    filters,
    departments,
  };
}

/** First local day of the period holding `day` (weeks start on Monday; 1970-01-01 was a Thursday). */
export const periodOf = (scope: Scope, day: number): number =>
  scope.interval === 'day' ? day : Math.max(scope.fromDay, day - ((day + 3) % 7));

/** Every period's first day in the range, in order. */
export function periods(scope: Scope): number[] {
  const out: number[] = [];
  for (let d = scope.fromDay; d <= scope.toDay; d++) if (periodOf(scope, d) === d) out.push(d);
  return out;
}

/** The local period an instant falls in. */
export const periodAt = (scope: Scope, t: number): number => periodOf(scope, localDayOf(scope.zone, t));
