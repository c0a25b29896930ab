// Dates as people read them, in the browser's locale. The formatters are made
// once: toLocaleString builds a new one per call, which a queue of 25 rows ×
// 3 dates pays on every render.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const short = (year: boolean) =>
  new Intl.DateTimeFormat(undefined, {
    day: 'numeric',
    month: 'short',
    ...(year ? { year: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
const shortThisYear = short(false);
const shortOtherYear = short(true);

/** "29/11/2026, 16:24:05" (locale's order): a thread entry's or a header's time. */
export const formatDateTime = (iso: string | number) => dateTime.format(new Date(iso));

/** "29 Nov 2026": a list's day. */
export const formatDate = (iso: string | number) => dateOnly.format(new Date(iso));

/** "29 Nov, 16:24" — the year only when it is not this one: a queue's columns. */
export function formatShort(iso: string): string {
  const d = new Date(iso);
  const thisYear = d.getFullYear() === new Date().getFullYear();
  return (thisYear ? shortThisYear : shortOtherYear).format(d);
}
