import { sql } from 'kysely';
import pg from 'pg';
import type { Db, Dialect } from '../src/db/database.ts';
import { autoCloseResolved } from '../src/modules/tickets/tickets.automation.service.ts';
import { runSlaChecks } from '../src/modules/sla/sla.escalation.service.ts';
import { HOUR, ManualClock } from '../src/lib/clock.ts';
import type { Deps } from '../src/lib/deps.ts';
import { ReferenceCache } from '../src/modules/directory/reference-cache.ts';
import { CLOSE, DUE, openScenario } from './automation.seed.ts';
import { runRoutingBench } from './routing.bench.ts';
import { fmt, fmtInt } from './stats.ts';
import { silentLog } from '../src/lib/log.ts';

// The desk running itself: routing rules per incoming ticket, the scheduler's
// SLA pass over a large desk (it must read only the tickets whose check is due,
// not the desk), and the auto-close pass. The desk is seeded once per dialect
// and kept (see automation.seed.ts); every run starts from the same scenario.

export interface AutomationOptions {
  dialects: Dialect[];
  tickets: number;
  dir: string;
  pgUrl: string;
}

export interface AutomationResult {
  dialect: Dialect;
  tickets: number;
  sla: { checked: number; fired: number; ms: number; againChecked: number; againMs: number; plan: string };
  autoClose: { closed: number; passes: number; ms: number; idleMs: number };
}

const SLA_TARGET_MS = 1000;
/** The scheduler's due-ticket query (sla.checks.repository.ts), for the plan. */
const dueQuery = (now: number) =>
  sql`select * from tickets where sla_check_at is not null and sla_check_at <= ${sql.lit(now)} order by sla_check_at limit 500`;

export async function benchAutomation(o: AutomationOptions): Promise<AutomationResult[]> {
  console.log('Routing rules (evaluateRules per incoming ticket):');
  await runRoutingBench();
  console.log('');
  const out: AutomationResult[] = [];
  for (const dialect of o.dialects) {
    console.log(
      `Scheduler passes on ${dialect}, ${fmtInt(o.tickets)} tickets (${fmtInt(DUE)} SLA checks due within the hour, ${fmtInt(CLOSE)} resolved tickets due to close):`,
    );
    if (dialect === 'postgres') {
      const down = await unreachable(o.pgUrl);
      if (down) {
        console.log(`  [postgres] skipped: ${redact(o.pgUrl)} is not reachable (${down})\n`);
        continue;
      }
    }
    out.push(await benchDialect(dialect, o));
    console.log('');
  }
  return out;
}

async function unreachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message || err.name : String(err);
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

async function benchDialect(dialect: Dialect, o: AutomationOptions): Promise<AutomationResult> {
  const tag = `  [${dialect}]`;
  const scenario = await openScenario({ dialect, dir: o.dir, pgUrl: o.pgUrl, tickets: o.tickets });
  const { handle, now } = scenario;
  try {
    const db = handle.db;
    // The scheduler wakes an hour after the data was made: all 10,000 checks are due.
    const clock = new ManualClock(now + HOUR);
    const deps: Deps = { db, clock, log: silentLog(), reference: new ReferenceCache(db, clock) };
    await deps.reference!.get(); // a running server has its snapshot already
    const indexed = await countChecks(db);
    console.log(
      `${tag} ${fmtInt(indexed)} tickets hold an SLA check (${fmtInt(indexed - scenario.future)} due within the hour, ${fmtInt(scenario.future)} 2 to 7 days ahead); the other ${fmtInt(scenario.tickets - indexed)} have none`,
    );
    const plan = await planOf(db, dialect, clock.now());
    console.log(`${tag} due-ticket query plan: ${plan}`);

    let start = performance.now();
    const first = await runSlaChecks(deps);
    const ms = performance.now() - start;
    console.log(
      `${tag} SLA pass: ${fmtInt(first.checked)} tickets checked, ${fmtInt(first.fired)} SLA events fired in ${fmt(ms, 1)} ms (${fmt((ms * 1000) / Math.max(1, first.checked), 1)} µs per ticket; target < ${SLA_TARGET_MS} ms: ratio ${fmt(SLA_TARGET_MS / ms)})`,
    );
    start = performance.now();
    const again = await runSlaChecks(deps);
    const againMs = performance.now() - start;
    console.log(
      `${tag} SLA pass again at once: ${fmtInt(again.checked)} tickets checked, ${fmtInt(again.fired)} fired in ${fmt(againMs, 2)} ms (only due rows are read)`,
    );

    const closed = await autoCloseAll(deps);
    console.log(
      `${tag} auto-close: ${fmtInt(closed.closed)} resolved tickets closed in ${fmt(closed.ms, 1)} ms over ${closed.passes} passes of up to 500 (${fmt(closed.ms / Math.max(1, closed.closed), 2)} ms per ticket, one transaction each); a pass with nothing due: ${fmt(closed.idleMs, 2)} ms`,
    );
    return {
      dialect,
      tickets: scenario.tickets,
      sla: { ...first, ms, againChecked: again.checked, againMs, plan },
      autoClose: closed,
    };
  } finally {
    await handle.close();
  }
}

async function countChecks(db: Db): Promise<number> {
  const r = await sql<{
    c: number;
  }>`select count(*) as c from tickets where sla_check_at is not null`.execute(db);
  return Number(r.rows[0]?.c ?? 0);
}

/** EXPLAIN QUERY PLAN (SQLite) or EXPLAIN (PostgreSQL) of the due-ticket query as one line. */
async function planOf(db: Db, dialect: Dialect, now: number): Promise<string> {
  if (dialect === 'sqlite') {
    const r = await sql<{ detail: string }>`explain query plan ${dueQuery(now)}`.execute(db);
    return r.rows.map((row) => row.detail).join('; ');
  }
  const r = await sql<{ 'QUERY PLAN': string }>`explain ${dueQuery(now)}`.execute(db);
  return r.rows.map((row) => row['QUERY PLAN'].trim().replace(/^->\s*/, '')).join(' -> ');
}

/** autoCloseResolved until it closes nothing more (it takes up to 500 tickets per pass); the last, idle pass apart. */
async function autoCloseAll(deps: Deps) {
  let closed = 0;
  let passes = 0;
  let ms = 0;
  for (;;) {
    const start = performance.now();
    const n = await autoCloseResolved(deps);
    const took = performance.now() - start;
    if (n === 0) return { closed, passes, ms, idleMs: took };
    closed += n;
    passes++;
    ms += took;
  }
}
