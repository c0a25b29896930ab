/**
 * Business-hours calendars for SLA clocks. Pure: no I/O, no clock; instants are epoch ms UTC.
 *
 * Semantics:
 * - Each local date gets the intervals listed for its weekday in `hours` (none on a holiday;
 *   holidays are local dates in the calendar's zone), converted to UTC instants in that zone.
 * - Daylight saving: a wall time inside a spring-forward gap maps to the instant just after the
 *   gap (02:30 → 03:00), and one inside a fall-back overlap to its first (earlier) occurrence.
 *   A 09:00–17:00 day is therefore 8 h of business time on change days too; hours that span
 *   the change do not (00:00–24:00 is 23 h or 25 h, 01:00–04:00 loses the skipped hour, and
 *   an interval ending inside the overlap, e.g. 00:00–01:30 in New York, ends at the first
 *   01:30). An interval wholly inside a gap is empty.
 * - `add(from, ms)` starts counting at `from` or at the next opening after it, and returns an
 *   instant in [start, end] of some interval: it equals the interval's end when exactly the
 *   remaining time fits. `between(a, b)` sums the overlap of [a, b) with the intervals, so
 *   `between(from, add(from, ms)) === ms` for integer ms > 0, and `between` is additive.
 * - Searching more than 3 years of local days without any business time throws.
 */
import { localDayOf, wallToUtc } from './sla.timezone.ts';
import { CalendarSpec, dayNumber, toMinutes, type CalendarSpecInput } from '../../contract/sla.contract.ts';

const DAY_CACHE_LIMIT = 4_000;
const CALENDAR_CACHE_LIMIT = 500;
const SEARCH_DAYS = 3 * 366;

// Indexed like Date#getUTCDay, so a day number maps straight to its entry.
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface BusinessCalendar {
  /** The instant at which `ms` of business time has passed, counting from `from`. add(from, 0) === from. */
  add(from: number, ms: number): number;
  /** Business time (ms) between a and b; 0 when b <= a. */
  between(a: number, b: number): number;
  /** Whether `at` falls inside business hours (start inclusive, end exclusive). */
  isOpen(at: number): boolean;
}

export const ALWAYS_OPEN: BusinessCalendar = Object.freeze({
  add: (from: number, ms: number) => (ms > 0 ? from + ms : from),
  between: (a: number, b: number) => Math.max(0, b - a),
  isOpen: () => true,
});

type Minutes = readonly (readonly [number, number])[];
const CLOSED: readonly number[] = [];

class Calendar implements BusinessCalendar {
  private readonly zone: string;
  private readonly week: readonly Minutes[];
  private readonly holidays: ReadonlySet<number>;
  /** Local day number → flat [start0, end0, start1, end1, …] in UTC ms, ascending. */
  private readonly days = new Map<number, readonly number[]>();

  constructor(spec: CalendarSpec) {
    this.zone = spec.timezone;
    this.week = WEEKDAYS.map((name) =>
      (spec.hours[name] ?? [])
        .map(([s, e]) => [toMinutes(s), toMinutes(e)] as const)
        .sort((a, b) => a[0] - b[0]),
    );
    this.holidays = new Set(spec.holidays.map(dayNumber));
  }

  private intervals(day: number): readonly number[] {
    const cached = this.days.get(day);
    if (cached) return cached;
    // Closed days cost nothing to compute, so they stay out of the cache.
    if (this.holidays.has(day)) return CLOSED;
    const pairs = this.week[(((day + 4) % 7) + 7) % 7]!; // day 0, 1970-01-01, was a Thursday
    if (pairs.length === 0) return CLOSED;
    const out: number[] = [];
    for (const [s, e] of pairs) {
      const start = wallToUtc(this.zone, day, s);
      const end = wallToUtc(this.zone, day, e);
      if (end > start) out.push(start, end);
    }
    // Map iteration order is insertion order: dropping the first key evicts the oldest day.
    if (this.days.size >= DAY_CACHE_LIMIT) this.days.delete(this.days.keys().next().value!);
    this.days.set(day, out);
    return out;
  }

  add(from: number, ms: number): number {
    if (!(ms > 0)) return from;
    if (ms === Infinity) throw new RangeError('business time to add must be finite'); // would never end
    let remaining = ms;
    let idleDays = 0;
    // Intervals of earlier local days end at or before the first instant of from's local day.
    for (let day = localDayOf(this.zone, from); ; day++) {
      const iv = this.intervals(day);
      let open = false;
      for (let i = 0; i < iv.length; i += 2) {
        const end = iv[i + 1]!;
        if (end <= from) continue;
        const start = Math.max(iv[i]!, from);
        if (remaining <= end - start) return start + remaining;
        remaining -= end - start;
        open = true;
      }
      idleDays = open ? 0 : idleDays + 1;
      if (idleDays > SEARCH_DAYS) throw new Error('calendar has no business hours within 3 years');
    }
  }

  between(a: number, b: number): number {
    if (!(b > a)) return 0;
    let sum = 0;
    // One day more, for a fall-back from after midnight to before it (none in current rules),
    // which would give instants of local day L to an interval of day L + 1.
    const last = localDayOf(this.zone, b) + 1;
    for (let day = localDayOf(this.zone, a); day <= last; day++) {
      const iv = this.intervals(day);
      for (let i = 0; i < iv.length; i += 2) {
        const overlap = Math.min(iv[i + 1]!, b) - Math.max(iv[i]!, a);
        if (overlap > 0) sum += overlap;
      }
    }
    return sum;
  }

  isOpen(at: number): boolean {
    const first = localDayOf(this.zone, at);
    // As in between: the next local day too, in case of a fall-back that crosses midnight.
    for (let day = first; day <= first + 1; day++) {
      const iv = this.intervals(day);
      for (let i = 0; i < iv.length; i += 2) if (iv[i]! <= at && at < iv[i + 1]!) return true;
    }
    return false;
  }
}

// Keyed by the caller's JSON and by the parsed spec's JSON, so equal specs share one calendar
// (and its day cache) however they were spelt.
const calendars = new Map<string, BusinessCalendar>();

function remember(key: string, calendar: BusinessCalendar): BusinessCalendar {
  if (calendars.size >= CALENDAR_CACHE_LIMIT) calendars.clear();
  calendars.set(key, calendar);
  return calendar;
}

/** Builds (and caches by the spec's JSON) a calendar; null → ALWAYS_OPEN. Throws on invalid specs. */
export function calendarFor(spec: CalendarSpecInput | null): BusinessCalendar {
  if (spec === null) return ALWAYS_OPEN;
  const key = JSON.stringify(spec);
  const hit = calendars.get(key);
  if (hit) return hit;
  const parsed = CalendarSpec.parse(spec);
  const canonical = JSON.stringify(parsed);
  const calendar = calendars.get(canonical) ?? remember(canonical, new Calendar(parsed));
  return remember(key, calendar);
}

/** Parses a stored JSON text (or null) into a calendar; throws on invalid specs. */
export function parseCalendar(json: string | null): BusinessCalendar {
  if (json === null) return ALWAYS_OPEN;
  const hit = calendars.get(json);
  if (hit) return hit;
  const value: unknown = JSON.parse(json);
  if (value === null) return ALWAYS_OPEN; // a stored JSON null means "no calendar" too
  const calendar = calendarFor(CalendarSpec.parse(value));
  return remember(json, calendar);
}
