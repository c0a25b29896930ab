import type { Db } from '../../db/database.ts';
import { measurementsInRange, type MeasureName, type Measurement } from './reports.measures.ts';
import { dayLabel, periodAt, periods, type Scope } from './reports.query.ts';
import { summarize, type Summary } from './reports.stats.ts';

// Speed: how long first responses, next responses and resolutions took, in
// calendar time and in the business hours of each ticket's SLA plan.

export interface Stat {
  count: number;
  calendar: Summary;
  business: Summary;
}

export interface SpeedRow {
  period: string;
  firstResponseMedianMs: number | null;
  resolutionMedianMs: number | null;
}

export type Speed = Record<MeasureName, Stat> & { series: SpeedRow[] };

const stat = (ms: Measurement[]): Stat => ({
  count: ms.length,
  calendar: summarize(ms.map((m) => m.calendarMs)),
  business: summarize(ms.map((m) => m.businessMs)),
});

export async function speedReport(db: Db, scope: Scope): Promise<Speed> {
  const all = await measurementsInRange(db, scope);
  const of = (name: MeasureName, list = all) => list.filter((m) => m.name === name);
  const byPeriod = new Map<number, Measurement[]>(periods(scope).map((p) => [p, []]));
  for (const m of all) byPeriod.get(periodAt(scope, m.at))!.push(m);
  return {
    firstResponse: stat(of('firstResponse')),
    nextResponse: stat(of('nextResponse')),
    resolution: stat(of('resolution')),
    firstResolution: stat(of('firstResolution')),
    series: [...byPeriod].map(([p, list]) => ({
      period: dayLabel(p),
      firstResponseMedianMs: summarize(of('firstResponse', list).map((m) => m.calendarMs)).medianMs,
      resolutionMedianMs: summarize(of('resolution', list).map((m) => m.calendarMs)).medianMs,
    })),
  };
}
