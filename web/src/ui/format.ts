// Dates as people read them: one format for every screen (queue, ticket,
// reports, admin, portal), in the browser's locale, hour cycle and time zone,
// so the same instant reads the same everywhere. The formatters are made
// once: toLocaleString builds a new one per call, which a queue of 25 rows ×
// 3 dates pays on every render.

// The year only when it is not this one: a queue's columns stay narrow.
const make = (time: boolean, year: boolean, timeZone?: string) =>
  new Intl.DateTimeFormat(undefined, {
    ...(timeZone ? { timeZone } : {}),
    day: 'numeric',
    month: 'short',
    ...(year ? { year: 'numeric' } : {}),
    ...(time ? { hour: 'numeric', minute: '2-digit' } : {}),
  });
const FORMATS = {
  dateTime: [make(true, false), make(true, true)],
  date: [make(false, false), make(false, true)],
  // A calendar day (a report's "2026-11-29") is no instant: read and shown in UTC, it stays that day.
  day: [make(false, false, 'UTC'), make(false, true, 'UTC')],
} as const;
const pick = (kind: keyof typeof FORMATS, iso: string | number) => {
  const d = new Date(iso);
  return FORMATS[kind][d.getFullYear() === new Date().getFullYear() ? 0 : 1].format(d);
};
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

/** "29 Nov, 16:24" / "Nov 29, 4:24 PM" (the locale's order and clock; "2025" added for other years): every exact time. */
export const formatDateTime = (iso: string | number) => pick('dateTime', iso);

/** "29 Nov" / "Nov 29" ("2025" added for other years): a day. */
export const formatDate = (iso: string | number) => pick('date', iso);

/** A calendar day as formatDate shows days ("2026-11-29" → "Nov 29"); any other label as it is. */
export const formatDay = (label: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(label) ? pick('day', `${label}T00:00:00Z`) : label;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Past this, "3 weeks ago" says less than the date. */
const RELATIVE_UP_TO = 7 * DAY;

/**
 * "just now", "5 min ago", "3 hr ago", "yesterday", "in 2 days"; the day
 * (formatDate) beyond a week. Show formatDateTime next to it (a title) for the exact time.
 */
export function formatRelative(iso: string | number, now: number): string {
  const diff = new Date(iso).getTime() - now;
  const size = Math.abs(diff);
  if (size < MINUTE) return diff <= 0 ? 'just now' : 'in a moment';
  if (size < HOUR) return relative.format(Math.round(diff / MINUTE), 'minute');
  if (size < DAY) return relative.format(Math.round(diff / HOUR), 'hour');
  if (size < RELATIVE_UP_TO) return relative.format(Math.round(diff / DAY), 'day');
  return formatDate(iso);
}
