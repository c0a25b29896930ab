// Dates as people read them: one format for every screen (queue, ticket,
// reports, admin, portal), in the browser's locale, hour cycle and time zone,
// so the same instant reads the same everywhere. The formatters are made
// once: toLocaleString builds a new one per call, which a queue of 25 rows ×
// 3 dates pays on every render.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

/** "29 Nov 2026, 16:24" / "Nov 29, 2026, 4:24 PM" (the locale's order and clock): every exact time. */
export const formatDateTime = (iso: string | number) => dateTime.format(new Date(iso));

/** "29 Nov 2026": a day. */
export const formatDate = (iso: string | number) => dateOnly.format(new Date(iso));

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
