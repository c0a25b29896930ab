import { expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDay, formatRelative } from '../../web/src/ui/format.ts';

// The web UI's one date format (web/src/ui/format.ts): relative within a week, then the day.

const now = Date.parse('2026-12-05T12:00:00Z');
const at = (ms: number) => new Date(now + ms).toISOString();

it('says how long ago, or how soon, in the largest unit that fits', () => {
  expect(formatRelative(at(-20_000), now)).toBe('just now');
  expect(formatRelative(at(-5 * 60_000), now)).toMatch(/^5 min\.? ago$/);
  expect(formatRelative(at(25 * 60_000), now)).toMatch(/^in 25 min/);
  expect(formatRelative(at(-3 * 3_600_000), now)).toMatch(/^3 hr\.? ago$/);
  expect(formatRelative(at(-26 * 3_600_000), now)).toBe('yesterday');
  expect(formatRelative(at(-10 * 86_400_000), now)).toBe(formatDate(at(-10 * 86_400_000)));
});

it('shows exact times without seconds, with the year only when it is not this one', () => {
  const thisYear = new Date(new Date().getFullYear(), 2, 14, 16, 24, 5).getTime();
  expect(formatDateTime(thisYear)).not.toMatch(/\d:\d\d:\d\d/);
  expect(formatDateTime(thisYear)).toMatch(/24/);
  expect(formatDateTime(thisYear)).not.toContain(String(new Date().getFullYear()));
  expect(formatDateTime('2019-03-14T12:00:00Z')).toContain('2019');
  expect(formatDate('2019-03-14T12:00:00Z')).toContain('2019');
});

it('shows a report day as the day it names, in every time zone', () => {
  expect(formatDay('2019-03-14')).toMatch(/14/);
  expect(formatDay('2019-03-14')).toContain('2019');
  expect(formatDay('week 3')).toBe('week 3');
});
