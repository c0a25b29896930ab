/**
 * Hand-computed cases for the business-hours calendar (src/modules/sla/sla.calendar.ts).
 *
 * Expected instants are written as ISO strings with the local UTC offset spelt out, so each
 * one can be checked against a wall clock without trusting the module's zone conversion.
 * Weekdays used: 2026-01-09 Fri, 2026-01-12 Mon, 2026-03-08 Sun (US spring forward),
 * 2026-11-01 Sun (US fall back), 2026-03-29 / 2026-10-25 Sun (EU changes),
 * 2026-04-05 / 2026-10-04 Sun (Sydney changes), 2026-12-24 Thu, 2026-12-25 Fri.
 */
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { HOUR, MINUTE } from '../../src/lib/clock.ts';
import { CalendarSpec, type CalendarSpecInput } from '../../src/contract/sla.contract.ts';
import { ALWAYS_OPEN, calendarFor, parseCalendar } from '../../src/modules/sla/sla.calendar.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();

type Pairs = [string, string][];
const weekdays = (timezone: string, pairs: Pairs, holidays: string[] = []): CalendarSpecInput => ({
  timezone,
  hours: { mon: pairs, tue: pairs, wed: pairs, thu: pairs, fri: pairs },
  holidays,
});
const everyDay = (timezone: string, pairs: Pairs): CalendarSpecInput => ({
  timezone,
  hours: { mon: pairs, tue: pairs, wed: pairs, thu: pairs, fri: pairs, sat: pairs, sun: pairs },
});
const NINE_TO_FIVE: Pairs = [['09:00', '17:00']];

describe('Mon–Fri 09:00–17:00, Europe/London', () => {
  const cal = calendarFor(weekdays('Europe/London', NINE_TO_FIVE));

  it('carries a Friday-afternoon ticket over the weekend', () => {
    expect(iso(cal.add(at('2026-01-09T16:00Z'), 2 * HOUR))).toBe('2026-01-12T10:00:00.000Z');
  });
  it('starts a weekend ticket at Monday opening', () => {
    expect(iso(cal.add(at('2026-01-10T12:00Z'), HOUR))).toBe('2026-01-12T10:00:00.000Z');
  });
  it('starts a ticket created before opening at opening', () => {
    expect(iso(cal.add(at('2026-01-12T08:00Z'), 30 * MINUTE))).toBe('2026-01-12T09:30:00.000Z');
  });
  it('returns the closing instant when the time fits exactly, not the next opening', () => {
    expect(iso(cal.add(at('2026-01-12T09:00Z'), 8 * HOUR))).toBe('2026-01-12T17:00:00.000Z');
    expect(iso(cal.add(at('2026-01-12T09:00Z'), 8 * HOUR + 1))).toBe('2026-01-13T09:00:00.001Z');
  });
  it('uses British Summer Time in July', () => {
    expect(cal.add(at('2026-07-10T16:00+01:00'), 2 * HOUR)).toBe(at('2026-07-13T10:00+01:00'));
  });
  it('add(from, 0) is from, even outside hours', () => {
    expect(cal.add(at('2026-01-10T12:00Z'), 0)).toBe(at('2026-01-10T12:00Z'));
  });
  it('isOpen is start-inclusive, end-exclusive', () => {
    expect(cal.isOpen(at('2026-01-12T09:00Z'))).toBe(true);
    expect(cal.isOpen(at('2026-01-12T08:59:59.999Z'))).toBe(false);
    expect(cal.isOpen(at('2026-01-12T16:59:59.999Z'))).toBe(true);
    expect(cal.isOpen(at('2026-01-12T17:00Z'))).toBe(false);
    expect(cal.isOpen(at('2026-01-10T12:00Z'))).toBe(false);
  });

  describe('between', () => {
    it('skips the weekend', () => {
      expect(cal.between(at('2026-01-09T17:00Z'), at('2026-01-12T09:00Z'))).toBe(0);
      expect(cal.between(at('2026-01-09T16:00Z'), at('2026-01-12T10:00Z'))).toBe(2 * HOUR);
      expect(cal.between(at('2026-01-09T12:00Z'), at('2026-01-12T12:00Z'))).toBe(8 * HOUR);
    });
    it('counts whole days when both ends are outside hours', () => {
      expect(cal.between(at('2026-01-10T12:00Z'), at('2026-01-13T07:00Z'))).toBe(8 * HOUR);
      expect(cal.between(at('2026-01-11T20:00Z'), at('2026-01-12T08:00Z'))).toBe(0);
      expect(cal.between(at('2026-01-05T00:00Z'), at('2026-01-19T00:00Z'))).toBe(80 * HOUR);
    });
    it('is 0 when b <= a', () => {
      expect(cal.between(at('2026-01-12T12:00Z'), at('2026-01-12T12:00Z'))).toBe(0);
      expect(cal.between(at('2026-01-12T14:00Z'), at('2026-01-12T10:00Z'))).toBe(0);
    });
  });
});

describe('holidays', () => {
  it('skips a Friday holiday and the weekend after it', () => {
    const cal = calendarFor(weekdays('Europe/London', NINE_TO_FIVE, ['2026-12-25']));
    expect(iso(cal.add(at('2026-12-24T16:00Z'), 2 * HOUR))).toBe('2026-12-28T10:00:00.000Z');
    expect(cal.between(at('2026-12-24T09:00Z'), at('2026-12-29T09:00Z'))).toBe(16 * HOUR);
    expect(cal.isOpen(at('2026-12-25T12:00Z'))).toBe(false);
  });
  it('skips consecutive holidays', () => {
    const cal = calendarFor(weekdays('Europe/London', NINE_TO_FIVE, ['2026-12-25', '2026-12-28']));
    expect(iso(cal.add(at('2026-12-24T16:00Z'), 2 * HOUR))).toBe('2026-12-29T10:00:00.000Z');
    expect(cal.between(at('2026-12-24T09:00Z'), at('2026-12-29T09:00Z'))).toBe(8 * HOUR);
  });
  it('are local dates: a Sydney holiday starts at local midnight, not UTC midnight', () => {
    const cal = calendarFor({
      ...everyDay('Australia/Sydney', [['00:00', '24:00']]),
      holidays: ['2026-01-26'],
    });
    expect(cal.isOpen(at('2026-01-25T23:59:59.999+11:00'))).toBe(true);
    expect(cal.isOpen(at('2026-01-26T00:00+11:00'))).toBe(false);
    expect(cal.add(at('2026-01-25T23:00+11:00'), 2 * HOUR)).toBe(at('2026-01-27T01:00+11:00'));
  });
  it('throws when 3 years of days hold no business time, and recovers after them', () => {
    // Only Mondays open, and every Monday from 2026 to 2030 a holiday.
    const mondays: string[] = [];
    for (let t = at('2026-01-05T00:00Z'); t <= at('2030-12-30T00:00Z'); t += 7 * 24 * HOUR) {
      mondays.push(iso(t).slice(0, 10));
    }
    const cal = calendarFor({ timezone: 'UTC', hours: { mon: NINE_TO_FIVE }, holidays: mondays });
    expect(() => cal.add(at('2026-01-01T00:00Z'), 1)).toThrow(
      'calendar has no business hours within 3 years',
    );
    expect(iso(cal.add(at('2029-01-01T00:00Z'), HOUR))).toBe('2031-01-06T10:00:00.000Z');
    expect(cal.between(at('2026-01-01T00:00Z'), at('2031-01-01T00:00Z'))).toBe(0);
  });
});

describe('daylight saving', () => {
  describe('America/New_York (2026-03-08 spring forward, 2026-11-01 fall back)', () => {
    const cal = calendarFor(everyDay('America/New_York', NINE_TO_FIVE));
    const weekdayCal = calendarFor(weekdays('America/New_York', NINE_TO_FIVE));

    it('keeps 09:00–17:00 at 8 h on the change days', () => {
      expect(cal.between(at('2026-03-08T00:00-05:00'), at('2026-03-09T00:00-04:00'))).toBe(8 * HOUR);
      expect(cal.between(at('2026-11-01T00:00-04:00'), at('2026-11-02T00:00-05:00'))).toBe(8 * HOUR);
      expect(cal.between(at('2026-03-07T09:00-05:00'), at('2026-03-09T09:00-04:00'))).toBe(16 * HOUR);
    });
    it('puts due times at local wall times after the change', () => {
      expect(cal.add(at('2026-03-07T16:00-05:00'), 2 * HOUR)).toBe(at('2026-03-08T10:00-04:00'));
      expect(cal.add(at('2026-10-31T16:00-04:00'), 2 * HOUR)).toBe(at('2026-11-01T10:00-05:00'));
      expect(cal.add(at('2026-11-01T09:00-05:00'), 8 * HOUR)).toBe(at('2026-11-01T17:00-05:00'));
      expect(weekdayCal.add(at('2026-03-06T16:00-05:00'), 2 * HOUR)).toBe(at('2026-03-09T10:00-04:00'));
    });
    it('gives a 00:00–24:00 day 23 h and 25 h', () => {
      const sundays = calendarFor({ timezone: 'America/New_York', hours: { sun: [['00:00', '24:00']] } });
      expect(sundays.between(at('2026-03-08T00:00-05:00'), at('2026-03-09T00:00-04:00'))).toBe(23 * HOUR);
      expect(sundays.between(at('2026-11-01T00:00-04:00'), at('2026-11-02T00:00-05:00'))).toBe(25 * HOUR);
      expect(sundays.add(at('2026-03-08T00:00-05:00'), 23 * HOUR)).toBe(at('2026-03-09T00:00-04:00'));
      expect(sundays.add(at('2026-03-08T00:00-05:00'), 23 * HOUR + 1)).toBe(at('2026-03-15T00:00-04:00') + 1);
    });
    it('loses the skipped hour from 01:00–04:00 on spring-forward day and gains one in the fall', () => {
      const nights = calendarFor({ timezone: 'America/New_York', hours: { sun: [['01:00', '04:00']] } });
      const opening = at('2026-03-08T01:00-05:00');
      expect(nights.between(opening, at('2026-03-08T12:00-04:00'))).toBe(2 * HOUR);
      expect(iso(nights.add(opening, HOUR))).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
      expect(nights.isOpen(at('2026-03-08T01:59:59.999-05:00'))).toBe(true);
      expect(nights.isOpen(at('2026-03-08T03:00-04:00'))).toBe(true);
      expect(nights.add(opening, 2 * HOUR)).toBe(at('2026-03-08T04:00-04:00'));
      expect(nights.add(opening, 2 * HOUR + MINUTE)).toBe(at('2026-03-15T01:01-04:00'));
      // 01:00 EDT (first occurrence) to 04:00 EST.
      expect(nights.between(at('2026-11-01T00:00-04:00'), at('2026-11-01T12:00-05:00'))).toBe(4 * HOUR);
      expect(nights.isOpen(at('2026-11-01T00:59:59.999-04:00'))).toBe(false);
      expect(nights.isOpen(at('2026-11-01T03:59:59.999-05:00'))).toBe(true);
    });
    it('maps a wall time in the gap to the end of the gap (02:30 → 03:00 EDT)', () => {
      const cal2 = calendarFor({ timezone: 'America/New_York', hours: { sun: [['02:30', '05:00']] } });
      expect(cal2.isOpen(at('2026-03-08T01:59:59.999-05:00'))).toBe(false);
      expect(cal2.isOpen(at('2026-03-08T03:00-04:00'))).toBe(true);
      expect(cal2.add(at('2026-03-08T00:00-05:00'), 1)).toBe(at('2026-03-08T03:00-04:00') + 1);
      expect(cal2.between(at('2026-03-08T00:00-05:00'), at('2026-03-09T00:00-04:00'))).toBe(2 * HOUR);
    });
    it('drops an interval that lies wholly inside the gap', () => {
      const cal2 = calendarFor({ timezone: 'America/New_York', hours: { sun: [['02:00', '02:45']] } });
      expect(cal2.between(at('2026-03-08T00:00-05:00'), at('2026-03-09T00:00-04:00'))).toBe(0);
      expect(cal2.add(at('2026-03-08T00:00-05:00'), MINUTE)).toBe(at('2026-03-15T02:01-04:00'));
    });
    it('takes the first occurrence of a wall time in the overlap', () => {
      const starts = calendarFor({ timezone: 'America/New_York', hours: { sun: [['01:30', '03:00']] } });
      expect(starts.add(at('2026-11-01T00:00-04:00'), 1)).toBe(at('2026-11-01T01:30-04:00') + 1);
      expect(starts.between(at('2026-11-01T00:00-04:00'), at('2026-11-02T00:00-05:00'))).toBe(2.5 * HOUR);
      const ends = calendarFor({ timezone: 'America/New_York', hours: { sun: [['00:00', '01:30']] } });
      expect(ends.between(at('2026-11-01T00:00-04:00'), at('2026-11-02T00:00-05:00'))).toBe(1.5 * HOUR);
      expect(ends.isOpen(at('2026-11-01T01:29:59.999-04:00'))).toBe(true);
      expect(ends.isOpen(at('2026-11-01T01:00-05:00'))).toBe(false); // the second 01:00
    });
  });

  describe('Europe/Berlin (2026-03-29, 2026-10-25)', () => {
    it('keeps 8 h days and lands on the right UTC instants', () => {
      const cal = calendarFor(everyDay('Europe/Berlin', NINE_TO_FIVE));
      expect(iso(cal.add(at('2026-03-28T16:00+01:00'), 2 * HOUR))).toBe('2026-03-29T08:00:00.000Z');
      expect(iso(cal.add(at('2026-10-24T16:00+02:00'), 2 * HOUR))).toBe('2026-10-25T09:00:00.000Z');
      expect(cal.between(at('2026-03-29T00:00+01:00'), at('2026-03-30T00:00+02:00'))).toBe(8 * HOUR);
      expect(cal.between(at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00'))).toBe(8 * HOUR);
    });
    it('gives 00:00–24:00 23 h and 25 h, and 01:00–04:00 2 h in spring', () => {
      const allDay = calendarFor(everyDay('Europe/Berlin', [['00:00', '24:00']]));
      expect(allDay.between(at('2026-03-29T00:00+01:00'), at('2026-03-30T00:00+02:00'))).toBe(23 * HOUR);
      expect(allDay.between(at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00'))).toBe(25 * HOUR);
      const nights = calendarFor(everyDay('Europe/Berlin', [['01:00', '04:00']]));
      expect(nights.between(at('2026-03-29T00:00+01:00'), at('2026-03-30T00:00+02:00'))).toBe(2 * HOUR);
      expect(nights.between(at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00'))).toBe(4 * HOUR);
    });
  });

  describe('Australia/Sydney (southern hemisphere: ends 2026-04-05, starts 2026-10-04)', () => {
    it('keeps 8 h days over both changes', () => {
      const cal = calendarFor(everyDay('Australia/Sydney', NINE_TO_FIVE));
      expect(cal.add(at('2026-04-04T16:00+11:00'), 2 * HOUR)).toBe(at('2026-04-05T10:00+10:00'));
      expect(cal.add(at('2026-10-03T16:00+10:00'), 2 * HOUR)).toBe(at('2026-10-04T10:00+11:00'));
      const weekdayCal = calendarFor(weekdays('Australia/Sydney', NINE_TO_FIVE));
      expect(iso(weekdayCal.add(at('2026-04-03T16:00+11:00'), 2 * HOUR))).toBe('2026-04-06T00:00:00.000Z');
    });
    it('gives 00:00–24:00 25 h in April and 23 h in October', () => {
      const allDay = calendarFor(everyDay('Australia/Sydney', [['00:00', '24:00']]));
      expect(allDay.between(at('2026-04-05T00:00+11:00'), at('2026-04-06T00:00+10:00'))).toBe(25 * HOUR);
      expect(allDay.between(at('2026-10-04T00:00+10:00'), at('2026-10-05T00:00+11:00'))).toBe(23 * HOUR);
    });
  });
});

describe('changes at local midnight', () => {
  // Asia/Beirut, 2026-10-25 00:00 EEST → Saturday 23:00 EET; 2026-03-29 00:00 EET → 01:00 EEST.
  const weekend = calendarFor({
    timezone: 'Asia/Beirut',
    hours: { sat: [['00:00', '24:00']], sun: [['00:00', '24:00']] },
  });
  it('gives the Saturday before a midnight fall-back 25 h', () => {
    expect(weekend.between(at('2026-10-24T00:00+03:00'), at('2026-10-25T00:00+02:00'))).toBe(25 * HOUR);
    expect(weekend.isOpen(at('2026-10-24T23:30+02:00'))).toBe(true); // the second 23:30
  });
  it('counts from the repeated Saturday hour, whose instants are on Saturday', () => {
    expect(weekend.add(at('2026-10-24T23:30+02:00'), 10 * MINUTE)).toBe(at('2026-10-24T23:40+02:00'));
    expect(weekend.add(at('2026-10-24T23:30+02:00'), 45 * MINUTE)).toBe(at('2026-10-25T00:15+02:00'));
  });
  it('opens a Sunday whose midnight is skipped at 01:00', () => {
    const sundays = calendarFor({ timezone: 'Asia/Beirut', hours: { sun: [['00:00', '24:00']] } });
    expect(sundays.add(at('2026-03-28T12:00+02:00'), 1)).toBe(at('2026-03-29T01:00+03:00') + 1);
    expect(sundays.between(at('2026-03-28T00:00+02:00'), at('2026-03-30T00:00+03:00'))).toBe(23 * HOUR);
  });
  it('does the same for America/Santiago (2026-04-05 00:00 −03 → Saturday 23:00 −04)', () => {
    const saturdays = calendarFor({ timezone: 'America/Santiago', hours: { sat: [['00:00', '24:00']] } });
    expect(saturdays.between(at('2026-04-04T00:00-03:00'), at('2026-04-05T00:00-04:00'))).toBe(25 * HOUR);
    expect(saturdays.add(at('2026-04-04T23:30-04:00'), 20 * MINUTE)).toBe(at('2026-04-04T23:50-04:00'));
  });
});

describe('Asia/Kolkata (+05:30, no DST)', () => {
  const cal = calendarFor(weekdays('Asia/Kolkata', NINE_TO_FIVE));
  it('opens at 03:30 UTC', () => {
    expect(cal.isOpen(at('2026-01-12T03:29:59.999Z'))).toBe(false);
    expect(cal.isOpen(at('2026-01-12T03:30Z'))).toBe(true);
    expect(iso(cal.add(at('2026-01-12T03:30Z'), 8 * HOUR))).toBe('2026-01-12T11:30:00.000Z');
  });
  it('carries over the weekend', () => {
    expect(iso(cal.add(at('2026-01-09T16:30+05:30'), HOUR))).toBe('2026-01-12T04:00:00.000Z');
  });
});

describe('split days (09:00–12:00, 13:00–17:00)', () => {
  const split: Pairs = [
    ['09:00', '12:00'],
    ['13:00', '17:00'],
  ];
  const cal = calendarFor(weekdays('UTC', split));
  it('skips lunch', () => {
    expect(iso(cal.add(at('2026-01-05T11:00Z'), 2 * HOUR))).toBe('2026-01-05T14:00:00.000Z');
    expect(iso(cal.add(at('2026-01-05T12:30Z'), MINUTE))).toBe('2026-01-05T13:01:00.000Z');
    expect(iso(cal.add(at('2026-01-05T11:00Z'), HOUR))).toBe('2026-01-05T12:00:00.000Z');
    expect(iso(cal.add(at('2026-01-05T09:00Z'), 7 * HOUR))).toBe('2026-01-05T17:00:00.000Z');
    expect(iso(cal.add(at('2026-01-05T09:00Z'), 7 * HOUR + 1))).toBe('2026-01-06T09:00:00.001Z');
    expect(cal.between(at('2026-01-05T11:00Z'), at('2026-01-05T14:00Z'))).toBe(2 * HOUR);
    expect(cal.isOpen(at('2026-01-05T12:00Z'))).toBe(false);
    expect(cal.isOpen(at('2026-01-05T11:59:59.999Z'))).toBe(true);
  });
  it('accepts the pairs in any order', () => {
    const reversed = calendarFor(weekdays('UTC', [split[1]!, split[0]!]));
    expect(iso(reversed.add(at('2026-01-05T11:00Z'), 2 * HOUR))).toBe('2026-01-05T14:00:00.000Z');
  });
});

describe('validation', () => {
  const messages = (spec: unknown): string[] => {
    const r = CalendarSpec.safeParse(spec);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };
  const ok = weekdays('Europe/London', NINE_TO_FIVE);

  it('accepts a good spec and fills in holidays', () => {
    expect(messages(ok)).toEqual([]);
    expect(CalendarSpec.parse({ timezone: 'UTC', hours: { sun: [['00:00', '24:00']] } }).holidays).toEqual(
      [],
    );
  });
  it('rejects an unknown time zone', () => {
    expect(messages({ ...ok, timezone: 'Mars/Olympus_Mons' })).toEqual(['Unknown time zone']);
    expect(messages({ ...ok, timezone: '' })).toEqual(['Unknown time zone']);
  });
  it('rejects start >= end and 24:00 as a start', () => {
    expect(messages({ timezone: 'UTC', hours: { mon: [['17:00', '09:00']] } })).toEqual([
      'start must be before end',
    ]);
    expect(messages({ timezone: 'UTC', hours: { mon: [['09:00', '09:00']] } })).toEqual([
      'start must be before end',
    ]);
    expect(messages({ timezone: 'UTC', hours: { mon: [['24:00', '24:00']] } })).toEqual([
      'start must be before end',
    ]);
  });
  it('rejects overlapping pairs but allows touching ones', () => {
    const hours = (mon: Pairs) => ({ timezone: 'UTC', hours: { mon } });
    expect(
      messages(
        hours([
          ['09:00', '12:00'],
          ['11:00', '13:00'],
        ]),
      ),
    ).toEqual(['intervals of one day must not overlap']);
    expect(
      messages(
        hours([
          ['09:00', '12:00'],
          ['12:00', '13:00'],
        ]),
      ),
    ).toEqual([]);
  });
  it("rejects malformed 'HH:MM'", () => {
    for (const bad of ['9:00', '24:30', '12:60', '25:00', '12:00:00', 'noon']) {
      expect(messages({ timezone: 'UTC', hours: { mon: [[bad, '23:00']] } })).toEqual(["expected 'HH:MM'"]);
    }
  });
  it('rejects a calendar without hours, and misspelt days', () => {
    expect(messages({ timezone: 'UTC', hours: {} })).toEqual(['calendar has no business hours']);
    expect(messages({ timezone: 'UTC', hours: { mon: [], sat: [] } })).toEqual([
      'calendar has no business hours',
    ]);
    expect(messages({ timezone: 'UTC', hours: { mon: NINE_TO_FIVE, monday: NINE_TO_FIVE } })).toHaveLength(1);
  });
  it('rejects malformed and impossible holidays', () => {
    expect(messages({ ...ok, holidays: ['2026-02-30'] })).toEqual(['no such date']);
    expect(messages({ ...ok, holidays: ['2026-1-5'] })).toEqual(["expected 'YYYY-MM-DD'"]);
    expect(messages({ ...ok, holidays: ['2028-02-29'] })).toEqual([]);
  });
});

describe('ALWAYS_OPEN and the factories', () => {
  it('counts wall-clock time', () => {
    expect(ALWAYS_OPEN.add(1_000, 500)).toBe(1_500);
    expect(ALWAYS_OPEN.add(1_000, 0)).toBe(1_000);
    expect(ALWAYS_OPEN.between(1_000, 4_000)).toBe(3_000);
    expect(ALWAYS_OPEN.between(4_000, 1_000)).toBe(0);
    expect(ALWAYS_OPEN.isOpen(at('2026-01-10T03:00Z'))).toBe(true);
  });
  it('maps null to ALWAYS_OPEN', () => {
    expect(calendarFor(null)).toBe(ALWAYS_OPEN);
    expect(parseCalendar(null)).toBe(ALWAYS_OPEN);
    expect(parseCalendar('null')).toBe(ALWAYS_OPEN);
  });
  it('returns one calendar for equal specs, however spelt', () => {
    const a = calendarFor(weekdays('Asia/Kolkata', NINE_TO_FIVE));
    expect(calendarFor(weekdays('Asia/Kolkata', NINE_TO_FIVE))).toBe(a);
    expect(calendarFor(JSON.parse(JSON.stringify(weekdays('Asia/Kolkata', NINE_TO_FIVE))))).toBe(a);
    const { holidays: _, ...noHolidays } = weekdays('Asia/Kolkata', NINE_TO_FIVE);
    expect(calendarFor({ hours: noHolidays.hours, timezone: 'Asia/Kolkata' })).toBe(a);
    expect(parseCalendar(JSON.stringify(weekdays('Asia/Kolkata', NINE_TO_FIVE)))).toBe(a);
    expect(calendarFor(weekdays('Asia/Kolkata', NINE_TO_FIVE, ['2026-01-26']))).not.toBe(a);
  });
  it('throws on invalid specs and JSON', () => {
    expect(() => parseCalendar('{"timezone":"UTC","hours":{}}')).toThrow(ZodError);
    expect(() => parseCalendar('{not json')).toThrow(SyntaxError);
    expect(() => calendarFor({ timezone: 'Nowhere/Land', hours: { mon: NINE_TO_FIVE } })).toThrow(ZodError);
  });
});

describe('speed', () => {
  it('computes a one-year target (2,080 business hours) in well under 1 ms', () => {
    const cal = calendarFor(weekdays('America/New_York', NINE_TO_FIVE, ['2026-07-03', '2026-12-25']));
    const from = at('2026-01-05T14:00Z');
    const target = 52 * 40 * HOUR;
    expect(cal.between(from, cal.add(from, target))).toBe(target); // warms the day cache
    const runs = 1_000;
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) cal.add(from + i * 7 * MINUTE, target);
    expect((performance.now() - t0) / runs).toBeLessThan(1);
  });
});
