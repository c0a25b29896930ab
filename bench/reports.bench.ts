import { sql } from 'kysely';
import type { Dialect } from '../src/db/database.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { DAY } from '../src/lib/clock.ts';
import { SYSTEM } from '../src/modules/auth/auth.actor.ts';
import { loadAgentActor } from '../src/modules/auth/actors.service.ts';
import { dashboard } from '../src/modules/dashboard/dashboard.service.ts';
import { REPORTS } from '../src/modules/reports/reports.catalog.ts';
import { ReportQuery } from '../src/modules/reports/reports.scope.ts';
import { resolveScope } from '../src/modules/reports/reports.service.ts';
import type { BenchTarget } from './desk.ts';
import { fmt, table, timeMany } from './stats.ts';
import { openUiDesk } from './ui.seed.ts';
import { silentLog } from '../src/lib/log.ts';

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
    // The dashboard beside them: its counts stop at the queue cap, whatever the desk's size.
    const clock = { now: () => Date.parse(`${to}T23:00:00Z`) };
    for (const email of ['admin@deskline.local', 'jane@deskline.local']) {
      const agent = await handle.db
        .selectFrom('agents')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      const actor = await loadAgentActor(handle.db, Number(agent.id));
      const t = await timeMany(RUNS, () => dashboard({ db: handle.db, clock, log: silentLog() }, actor));
      const name = `dashboard (${email.split('@')[0]})`;
      figures.push({ name, p50: t.p50, max: t.max });
      console.log(`  [${o.dialect}] ${name}: p50 ${fmt(t.p50, 0)} ms, max ${fmt(t.max, 0)} ms`);
    }
    for (const [name, report] of Object.entries(REPORTS)) {
      const t = await timeMany(RUNS, () => report.run(handle.db, scope));
      figures.push({ name, p50: t.p50, max: t.max });
      console.log(
        `  [${o.dialect}] ${name}, ${from}..${to}: p50 ${fmt(t.p50, 0)} ms, max ${fmt(t.max, 0)} ms`,
      );
    }
    // Filtered: a department is in the rollup's key; a priority or a team is read from the facts' indexes.
    const idOf = async (table: 'departments' | 'priorities' | 'teams', name: string) =>
      Number(
        (await handle.db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirstOrThrow())
          .id,
      );
    for (const [label, filter] of [
      ['department', { department: await idOf('departments', 'Support') }],
      ['priority', { priority: await idOf('priorities', 'Normal') }],
      ['team', { team: await idOf('teams', 'Level 1 Support') }],
    ] as const) {
      const filtered = await resolveScope(handle.db, SYSTEM, ReportQuery.parse({ from, to, ...filter }));
      for (const name of ['speed', 'agents']) {
        const t = await timeMany(RUNS, () => REPORTS[name]!.run(handle.db, filtered));
        figures.push({ name: `${name} (one ${label})`, p50: t.p50, max: t.max });
        console.log(
          `  [${o.dialect}] ${name}, one ${label}: p50 ${fmt(t.p50, 0)} ms, max ${fmt(t.max, 0)} ms`,
        );
      }
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
