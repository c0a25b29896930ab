import type { Db } from '../../db/database.ts';
import { forbidden, invalid, unknownFilter } from '../../lib/errors.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { getSetting } from '../settings/settings.service.ts';
import { wallToUtc } from '../sla/sla.timezone.ts';
import { REPORTS } from './reports.catalog.ts';
import { dayNumber, MAX_RANGE_DAYS, type ReportQueryIn, type Scope } from './reports.scope.ts';
import { exists } from './reports.tickets.repository.ts';

// Running a report for someone: the request resolved into a Scope (the
// desk's zone, the asker's departments), then the report from the catalog.

// Each filter is checked against its table so a typo answers 422, not an empty report.
const FILTER_TABLES = {
  department: 'departments',
  team: 'teams',
  agent: 'agents',
  topic: 'help_topics',
  priority: 'priorities',
  organization: 'organizations',
} as const;

export async function resolveScope(db: Db, actor: Actor, q: ReportQueryIn): Promise<Scope> {
  const fromDay = dayNumber(q.from);
  const toDay = dayNumber(q.to);
  if (fromDay === null || toDay === null) throw invalid('invalid_date', 'from and to must be real dates');
  if (toDay < fromDay) throw invalid('range_reversed', 'to must not be before from');
  if (toDay - fromDay + 1 > MAX_RANGE_DAYS)
    throw invalid('range_too_long', `A report covers at most ${MAX_RANGE_DAYS} days`);
  for (const [key, table] of Object.entries(FILTER_TABLES) as [
    keyof typeof FILTER_TABLES,
    (typeof FILTER_TABLES)[keyof typeof FILTER_TABLES],
  ][]) {
    const value = q[key];
    if (value !== undefined && !(await exists(db, table, value))) throw unknownFilter(key, value);
  }
  if (actor.kind === 'customer') throw forbidden('Reports are for staff');
  // Admins and desk-wide API keys (the system actor) see every department.
  const departments = actor.kind === 'agent' && actor.role !== 'admin' ? [...actor.departments.keys()] : null;
  if (departments && q.department !== undefined && !departments.includes(q.department))
    throw forbidden('You may only report on your own departments');
  const zone = (await getSetting(db, 'automation')).timezone;
  const { from: _f, to: _t, interval, format: _fmt, ...filters } = q;
  return {
    zone,
    fromDay,
    toDay,
    start: wallToUtc(zone, fromDay, 0),
    end: wallToUtc(zone, toDay + 1, 0),
    interval,
    filters,
    departments,
  };
}

/** A report for the asker: its JSON answer, and its main table as CSV on demand. */
export async function runReport(db: Db, actor: Actor, name: string, q: ReportQueryIn) {
  const report = REPORTS[name];
  if (!report) throw new Error(`no report named ${name}`);
  return report.run(db, await resolveScope(db, actor, q));
}
