import { useQuery } from '@tanstack/react-query';
import type {
  AgentsOut,
  CsatOut,
  SlaReportOut,
  SpeedOut,
  StatOut,
  VolumeOut,
} from '../../../../src/contract/reports.contract.ts';
import { api } from '../../ui/api.ts';

// The reports' shared query (docs/WEB.md, issue 8 contract): an inclusive
// date range in the desk time zone, optional filters by id, and the interval.

export const REPORTS = [
  ['volume', 'Volume'],
  ['speed', 'Speed'],
  ['sla', 'SLA'],
  ['agents', 'Agents'],
  ['csat', 'Satisfaction'],
] as const;
export type ReportName = (typeof REPORTS)[number][0];

export const FILTERS = [
  'department',
  'team',
  'agent',
  'topic',
  'priority',
  'channel',
  'organization',
] as const;
export type FilterName = (typeof FILTERS)[number];

export interface ReportParams {
  from: string;
  to: string;
  interval: 'day' | 'week';
  filters: Partial<Record<FilterName, string>>;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The last `days` days up to today (local calendar), as an inclusive range. */
export function lastDays(days: number, today = new Date()): { from: string; to: string } {
  const end = new Date(Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()));
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return { from: iso(start), to: iso(end) };
}

/** The report's URL; unset filters are left out (the API rejects unknown or empty ones). */
export function reportUrl(name: ReportName, p: ReportParams, format?: 'csv'): string {
  const q = new URLSearchParams({ from: p.from, to: p.to, interval: p.interval });
  for (const f of FILTERS) {
    const v = p.filters[f];
    if (v) q.set(f, v);
  }
  if (format) q.set('format', format);
  return `/api/v1/reports/${name}?${q.toString()}`;
}

export function useReport<T>(name: ReportName, p: ReportParams) {
  const url = reportUrl(name, p);
  return useQuery({
    queryKey: ['report', name, url],
    queryFn: () => api<T>('GET', url),
    // While new filters load, the same report's last figures stay (dimmed), never another report's.
    placeholderData: (prev, prevQuery) => (prevQuery?.queryKey[1] === name ? prev : undefined),
  });
}

export type Stat = StatOut;
export type VolumeReport = VolumeOut;
export type SpeedReport = SpeedOut;
export type SlaReport = SlaReportOut;
export type AgentsReport = AgentsOut;
export type CsatReport = CsatOut;

/** A duration for people: "—", "45 min", "3.5 h", "2.1 d". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const min = ms / 60_000;
  if (min < 60) return `${Math.round(min)} min`;
  const h = min / 60;
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} d`;
}

export const percent = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : `${Math.round(n * 10) / 10}%`;
