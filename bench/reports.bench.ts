import { sql } from 'kysely';
import type { Dialect } from '../src/db/database.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { DAY } from '../src/lib/clock.ts';
import { SYSTEM } from '../src/modules/auth/auth.actor.ts';
import { REPORTS } from '../src/modules/reports/reports.catalog.ts';
import { ReportQuery, resolveScope } from '../src/modules/reports/reports.query.ts';
import type { BenchTarget } from './desk.ts';
import { fmt, table, timeMany } from './stats.ts';
import { openUiDesk } from './ui.seed.ts';

// Each report over the last 90 days of the UI bench's cached desk (N bulk
// tickets, read only), timed in process: the query and its computation,
// without HTTP. Target: < 500 ms each at 1,000,000 tickets.

export const REPORT_TARGET_MS = 500;
const RUNS = 3;

export interface ReportFigure {
  name: string;
  p50: number;
  max: number;
}
export interface ReportsResult {
  dialect: Dialect;
  tickets: number;
  figures: ReportFigure[];
}

export async function benchReports(o: BenchTarget & { tickets: number }): Promise<ReportsResult> {
  const desk = await openUiDesk(o);
  const handle = openDatabase(desk.url);
  try {
    await migrateToLatest(handle.db);
    const { rows } = await sql<{
      last: string | number;
    }>`select max(created_at) as last from tickets`.execute(handle.db);
    const to = new Date(Number(rows[0]?.last ?? Date.now())).toISOString().slice(0, 10);
    const from = new Date(Date.parse(to) - 89 * DAY).toISOString().slice(0, 10);
    const scope = await resolveScope(handle.db, SYSTEM, ReportQuery.parse({ from, to }));
    const figures: ReportFigure[] = [];
    for (const [name, report] of Object.entries(REPORTS)) {
      const t = await timeMany(RUNS, () => report.run(handle.db, scope));
      figures.push({ name, p50: t.p50, max: t.max });
      console.log(
        `  [${o.dialect}] ${name}, ${from}..${to}: p50 ${fmt(t.p50, 0)} ms, max ${fmt(t.max, 0)} ms`,
      );
    }
    return { dialect: o.dialect, tickets: desk.tickets, figures };
  } finally {
    await handle.close();
  }
}

export function printReports(results: ReportsResult[]): string {
  const rows: (string | number)[][] = [['  report (90 days)', 'dialect', 'p50 ms', 'target', 'ratio']];
  for (const r of results)
    for (const f of r.figures)
      rows.push([
        `  ${f.name}`,
        r.dialect,
        fmt(f.p50, 0),
        `< ${REPORT_TARGET_MS}`,
        fmt(REPORT_TARGET_MS / f.p50),
      ]);
  return table(rows);
}
