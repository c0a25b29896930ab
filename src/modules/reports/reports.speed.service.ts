import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { distribution, medianSeries } from './reports.durations.service.ts';
import { MEASURES, type MeasureName } from './reports.facts.ts';
import type { SpeedOut, SpeedRowOut, StatOut } from '../../contract/reports.contract.ts';
import { dayLabel, periods, type Scope } from './reports.scope.ts';

// Speed: how long first responses, next responses and resolutions took, in
// calendar time and in the business hours of each ticket's SLA plan.

export type Stat = z.output<typeof StatOut>;

export type SpeedRow = z.output<typeof SpeedRowOut>;

export type Speed = z.output<typeof SpeedOut>;

async function stat(db: Db, scope: Scope, name: MeasureName): Promise<Stat> {
  const both = await distribution(db, scope, name);
  const { count, ...calendar } = both.calendar;
  const { count: _same, ...business } = both.business;
  return { count, calendar, business };
}

export async function speedReport(db: Db, scope: Scope): Promise<Speed> {
  const stats = {} as Record<MeasureName, Stat>;
  for (const name of MEASURES) stats[name] = await stat(db, scope, name);

  // Per period: the medians of first responses and resolutions that ended in it.
  const starts = periods(scope);
  const first = await medianSeries(db, scope, 'firstResponse', starts);
  const resolution = await medianSeries(db, scope, 'resolution', starts);
  const series: SpeedRow[] = starts.map((p) => ({
    period: dayLabel(p),
    firstResponseMedianMs: first.get(p) ?? null,
    resolutionMedianMs: resolution.get(p) ?? null,
  }));
  return { ...stats, series };
}
