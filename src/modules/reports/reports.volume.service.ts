import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { KIND } from './reports.facts.ts';
import type { VolumeOut, VolumeRowOut } from '../../contract/reports.contract.ts';
import { dayLabel, periodOf, periods, type Scope } from './reports.scope.ts';
import { countByDay } from './reports.stats.repository.ts';
import { countOpen } from './reports.tickets.repository.ts';

// Volume: what happened in each period, and the backlog left at its end.

export type VolumeRow = z.output<typeof VolumeRowOut>;

export type Volume = z.output<typeof VolumeOut>;

export async function volumeReport(db: Db, scope: Scope): Promise<Volume> {
  // Every count from the range's start up to the newest fact: the ones inside
  // the range fill the series, and all of them work the backlog back from
  // today's open tickets (open then = open now − created − reopened + left
  // since), which reads the small open set instead of the whole history.
  const since = await countByDay(db, scope, ['created', 'left', 'closed', 'reopened'], {
    from: scope.fromDay,
    to: null,
  });
  const openNow = await countOpen(db, scope);

  const rows = new Map<number, VolumeRow>();
  for (const p of periods(scope))
    rows.set(p, { period: dayLabel(p), created: 0, resolved: 0, closed: 0, reopened: 0, backlog: 0 });
  let backlog = openNow;
  for (const c of since) {
    if (c.kind === KIND.created || c.kind === KIND.reopened) backlog -= c.n;
    if (c.kind === KIND.left) backlog += c.n;
    const row = c.day <= scope.toDay ? rows.get(periodOf(scope, c.day)) : undefined;
    if (!row) continue;
    if (c.kind === KIND.created) row.created += c.n;
    else if (c.kind === KIND.left) row.resolved += c.n;
    else if (c.kind === KIND.closed) row.closed += c.n;
    else row.reopened += c.n;
  }
  const series = [...rows.values()];
  const totals = { created: 0, resolved: 0, closed: 0, reopened: 0 };
  for (const row of series) {
    backlog += row.created - row.resolved + row.reopened;
    row.backlog = backlog;
    totals.created += row.created;
    totals.resolved += row.resolved;
    totals.closed += row.closed;
    totals.reopened += row.reopened;
  }
  return { series, totals };
}
