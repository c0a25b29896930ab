import type { Db } from '../../db/database.ts';
import { KIND, MEASURES, type MeasureName } from './reports.facts.ts';
import { dayLabel, periodOf, periods, type Scope } from './reports.query.ts';
import { countByDay, distribution, medianOf } from './reports.read.ts';
import type { Summary } from './reports.stats.ts';

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

async function stat(db: Db, scope: Scope, name: MeasureName): Promise<Stat> {
  const { count, ...calendar } = await distribution(db, scope, name, 'calendar');
  const { count: _same, ...business } = await distribution(db, scope, name, 'business');
  return { count, calendar, business };
}

export async function speedReport(db: Db, scope: Scope): Promise<Speed> {
  const stats = {} as Record<MeasureName, Stat>;
  for (const name of MEASURES) stats[name] = await stat(db, scope, name);

  // Per period: the medians of first responses and resolutions that ended in it.
  const starts = periods(scope);
  const counts = new Map<string, number>();
  for (const c of await countByDay(db, scope, ['firstResponse', 'resolution']))
    counts.set(
      `${c.kind}:${periodOf(scope, c.day)}`,
      (counts.get(`${c.kind}:${periodOf(scope, c.day)}`) ?? 0) + c.n,
    );
  const series: SpeedRow[] = [];
  for (const [i, p] of starts.entries()) {
    const days = { from: p, to: (starts[i + 1] ?? scope.toDay + 1) - 1 };
    const median = (name: 'firstResponse' | 'resolution') =>
      medianOf(db, scope, name, days, counts.get(`${KIND[name]}:${p}`) ?? 0);
    series.push({
      period: dayLabel(p),
      firstResponseMedianMs: await median('firstResponse'),
      resolutionMedianMs: await median('resolution'),
    });
  }
  return { ...stats, series };
}
