/**
 * Wall-clock ↔ UTC conversion for IANA zones using only Intl (no tz database of our own).
 *
 * Local dates are "day numbers": days since 1970-01-01 of the local calendar date, so that
 * `day * DAY + minute * MINUTE` is the wall time written as if it were UTC.
 *
 * `formatToParts` costs a few µs, so we sample each zone's offset once per UTC day (cached)
 * and only fall back to exact per-instant look-ups near an offset change. This assumes a
 * zone changes its offset at most once in any three days, which holds for every real zone.
 */
import { DAY, MINUTE } from '../../lib/clock.ts';

const FORMATTER_LIMIT = 1_000;
const SAMPLE_LIMIT = 20_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const samples = new Map<string, Map<number, number>>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Throws RangeError for unknown zones: settings and calendars are checked with TimeZone (contract) first.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    // Zone names are case-insensitive, so the key space is not strictly finite: keep it bounded.
    if (formatters.size >= FORMATTER_LIMIT) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

/** Exact offset (local − UTC, ms) of `zone` at instant `t`. Intl resolves whole seconds only. */
export function offsetAt(zone: string, t: number): number {
  let y = 0;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of formatter(zone).formatToParts(t)) {
    if (p.type === 'year') y = Number(p.value);
    else if (p.type === 'month') mo = Number(p.value);
    else if (p.type === 'day') d = Number(p.value);
    else if (p.type === 'hour')
      h = Number(p.value) % 24; // some ICU builds print midnight as 24
    else if (p.type === 'minute') mi = Number(p.value);
    else if (p.type === 'second') s = Number(p.value);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(t / 1000) * 1000;
}

/** Offset at UTC midnight of day number `day`, cached per zone. */
function sampled(zone: string, day: number): number {
  let byDay = samples.get(zone);
  if (!byDay) {
    byDay = new Map();
    samples.set(zone, byDay);
  }
  let o = byDay.get(day);
  if (o === undefined) {
    if (byDay.size >= SAMPLE_LIMIT) byDay.clear();
    o = offsetAt(zone, day * DAY);
    byDay.set(day, o);
  }
  return o;
}

/** Local day number of instant `t` in `zone`. */
export function localDayOf(zone: string, t: number): number {
  const d = Math.floor(t / DAY);
  const o = sampled(zone, d);
  // Same offset at both UTC midnights around t: no change in between, the sample is exact.
  const offset = o === sampled(zone, d + 1) ? o : offsetAt(zone, t);
  return Math.floor((t + offset) / DAY);
}

/**
 * The UTC instant of wall time `minute` (0..1440) on local day `day`: the first instant whose
 * wall time is at or after it. So a wall time inside a spring-forward gap maps to the end of
 * the gap (02:30 → 03:00), and one inside a fall-back overlap to its earlier occurrence.
 */
export function wallToUtc(zone: string, day: number, minute: number): number {
  // 24:00 is the next day's 00:00; normalising keeps both spellings on one code path.
  if (minute >= 1440) return wallToUtc(zone, day + 1, minute - 1440);
  const wall = day * DAY + minute * MINUTE;
  // Offsets lie within −12 h..+14 h, so every instant of this local day lies in
  // ((day − 1) · DAY, (day + 2) · DAY): the samples there bracket it.
  const early = sampled(zone, day - 1);
  const late = sampled(zone, day + 2);
  if (early === late && sampled(zone, day) === early && sampled(zone, day + 1) === early) {
    return wall - early;
  }
  const beforeChange = wall - early;
  if (offsetAt(zone, beforeChange) === early) return beforeChange;
  const afterChange = wall - late;
  if (offsetAt(zone, afterChange) === late) return afterChange;
  // Neither reading exists: a gap. Its end (the change) lies in (afterChange, beforeChange].
  return late > early ? changeInstant(zone, afterChange, beforeChange, early) : beforeChange;
}

/** Binary search (whole seconds, as tzdb changes are) for the first instant whose offset is not `before`. */
function changeInstant(zone: string, lo: number, hi: number, before: number): number {
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(zone, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}
