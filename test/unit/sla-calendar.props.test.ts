/**
 * Property-based tests of the business-hours calendar with fast-check: generated zones
 * (DST in both hemispheres, half- and quarter-hour offsets, midnight changes), weekly hours
 * of 1–2 intervals on random days, random holidays, start instants across 2026–2027 and
 * targets of up to 30 business days of the generated calendar.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '../../src/lib/clock.ts';
import { CalendarSpec } from '../../src/contract/sla.contract.ts';
import { calendarFor, type BusinessCalendar } from '../../src/modules/sla/sla.calendar.ts';

const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns', // −03:30 with DST
  'America/Santiago', // changes at local midnight
  'America/Havana', // changes at local midnight
  'Asia/Beirut', // changes at local midnight
  'Africa/Casablanca', // two changes around Ramadan
  'Australia/Sydney',
  'Australia/Lord_Howe', // 30-minute DST
  'Pacific/Chatham', // +12:45 / +13:45
  'Asia/Kolkata',
  'Asia/Kathmandu', // +05:45
] as const;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const SLOT = 30 * MINUTE;
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2028, 0, 1);
const RUNS = 300;

const hhmm = (slot: number): string => {
  const m = slot * 30;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** 1–2 disjoint intervals on the half-hour grid (slot 48 is '24:00'). */
const dayHours = fc
  .integer({ min: 1, max: 2 })
  .chain((n) => fc.uniqueArray(fc.integer({ min: 0, max: 48 }), { minLength: 2 * n, maxLength: 2 * n }))
  .map((slots) => {
    const s = [...slots].sort((a, b) => a - b);
    const pairs: [string, string][] = [];
    for (let i = 0; i < s.length; i += 2) pairs.push([hhmm(s[i]!), hhmm(s[i + 1]!)]);
    return pairs;
  });

const specArb = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    week: fc.array(fc.option(dayHours, { freq: 3 }), { minLength: 7, maxLength: 7 }),
    holidays: fc.uniqueArray(fc.integer({ min: FROM / DAY, max: TO / DAY - 1 }), { maxLength: 30 }),
  })
  .filter(({ week }) => week.some((d) => d !== null))
  .map(({ timezone, week, holidays }) =>
    CalendarSpec.parse({
      timezone,
      hours: Object.fromEntries(DAYS.flatMap((name, i) => (week[i] ? [[name, week[i]]] : []))),
      holidays: holidays.map((d) => new Date(d * DAY).toISOString().slice(0, 10)),
    }),
  );

/** Nominal business ms in a week (ignoring DST and holidays), to scale targets. */
const weekly = (spec: CalendarSpec): number =>
  Object.values(spec.hours)
    .flatMap((pairs) => pairs ?? [])
    .reduce((sum, [s, e]) => sum + (minutes(e) - minutes(s)) * MINUTE, 0);
const minutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** Any ms, or one on the half-hour grid so that starts and dues hit interval edges. */
const instant = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  fc.integer({ min: FROM / SLOT, max: TO / SLOT }).map((k) => k * SLOT),
);
const duration = (max: number) =>
  fc.oneof(
    fc.integer({ min: 1, max }),
    fc.integer({ min: 1, max: Math.max(1, Math.floor(max / SLOT)) }).map((k) => k * SLOT),
  );

interface Case {
  spec: CalendarSpec;
  cal: BusinessCalendar;
  from: number;
  ms: number;
  ms2: number;
}
const caseArb: fc.Arbitrary<Case> = specArb.chain((spec) => {
  const max = Math.max(1, Math.floor((30 * weekly(spec)) / 7));
  return fc
    .record({ from: instant, ms: duration(max), ms2: duration(max) })
    .map((r) => ({ spec, cal: calendarFor(spec), ...r }));
});
const show = (c: Case): string => JSON.stringify({ ...c, cal: undefined });

describe('business calendar properties', () => {
  it('the due time lies inside business hours (the ms before it is open)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const due = c.cal.add(c.from, c.ms);
        expect(due, show(c)).toBeGreaterThan(c.from);
        expect(c.cal.isOpen(due - 1), show(c)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('between(from, add(from, ms)) === ms', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(c.cal.between(c.from, c.cal.add(c.from, c.ms)), show(c)).toBe(c.ms);
      }),
      { numRuns: RUNS },
    );
  });

  it('add is monotonic in ms, and strictly so', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const [lo, hi] = c.ms <= c.ms2 ? [c.ms, c.ms2] : [c.ms2, c.ms];
        const [a, b] = [c.cal.add(c.from, lo), c.cal.add(c.from, hi)];
        if (lo === hi) expect(a).toBe(b);
        else expect(a, show(c)).toBeLessThan(b);
      }),
      { numRuns: RUNS },
    );
  });

  it('pausing never shortens the remaining time', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: 0, max: 20 * DAY }),
        fc.integer({ min: 0, max: 10 * DAY }),
        (c, x, y) => {
          const due = c.cal.add(c.from, c.ms);
          const p = c.from + x;
          const q = p + y;
          const newDue = c.cal.add(c.from, c.ms + c.cal.between(p, q));
          expect(newDue, show(c)).toBeGreaterThanOrEqual(due);
          if (p < due) expect(c.cal.between(q, newDue), show(c)).toBe(c.ms - c.cal.between(c.from, p));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('between is additive and never exceeds elapsed time', () => {
    fc.assert(
      fc.property(caseArb, instant, instant, (c, x, y) => {
        const [a, m, b] = [c.from, x, y].sort((u, v) => u - v) as [number, number, number];
        const ab = c.cal.between(a, b);
        expect(ab).toBeLessThanOrEqual(b - a);
        expect(c.cal.between(a, m) + c.cal.between(m, b), show(c)).toBe(ab);
        expect(c.cal.between(b, a)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('between counts exactly the open minutes (minute-aligned spans of up to 2 days)', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 2 * 24 * 60 }), (c, n) => {
        const a = Math.floor(c.from / MINUTE) * MINUTE;
        let open = 0;
        for (let t = a; t < a + n * MINUTE; t += MINUTE) if (c.cal.isOpen(t)) open++;
        expect(c.cal.between(a, a + n * MINUTE), show(c)).toBe(open * MINUTE);
      }),
      { numRuns: 100 },
    );
  });

  it('isOpen agrees with the wall clock away from offset changes', () => {
    // An independent reading of the zone: weekday, date and time via Intl, offset via longOffset.
    const wall = (zone: string, t: number) => {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      }).formatToParts(t);
      const get = (type: string) => parts.find((p) => p.type === type)!.value;
      return {
        weekday: get('weekday').toLowerCase() as (typeof DAYS)[number],
        date: `${get('year')}-${get('month')}-${get('day')}`,
        minute: Number(get('hour')) * 60 + Number(get('minute')),
      };
    };
    const offset = (zone: string, t: number) =>
      new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
        .formatToParts(t)
        .find((p) => p.type === 'timeZoneName')!.value;

    fc.assert(
      fc.property(caseArb, (c) => {
        const zone = c.spec.timezone;
        const t = c.from;
        // Skip instants within 2 days of an offset change: there the mapping rules decide.
        if (offset(zone, t - 2 * DAY) !== offset(zone, t + 2 * DAY)) return;
        const w = wall(zone, t);
        const expected =
          !c.spec.holidays.includes(w.date) &&
          (c.spec.hours[w.weekday] ?? []).some(([s, e]) => minutes(s) <= w.minute && w.minute < minutes(e));
        expect(c.cal.isOpen(t), `${show(c)} ${JSON.stringify(w)}`).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });
});
