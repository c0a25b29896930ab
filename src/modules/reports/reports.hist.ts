import { sql } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import type { ReportFactsTable } from '../../db/schema.reports.ts';

// The duration rollup (report_hist): for each measure, clock, day and
// department, how many durations fell into each coarse bucket (eight fine
// buckets, so eight per doubling) and their sum. Kept by the same refresh that
// replaces a ticket's facts, as the difference between its old and new facts,
// in that transaction; remade from the facts after a rebuild.

export const CLOCK = { calendar: 1, business: 2 } as const;
/** Fine buckets per coarse one: coarse = fine >> 3. */
export const COARSE_SHIFT = 3;

export type HistFact = Pick<
  ReportFactsTable,
  'kind' | 'day' | 'department_id' | 'cal_bucket' | 'bus_bucket' | 'calendar_ms' | 'business_ms'
>;

interface Delta {
  key: [number, number, number, number, number];
  n: number;
  total: number;
}

function deltas(before: HistFact[], after: HistFact[]): Delta[] {
  const out = new Map<string, Delta>();
  const add = (f: HistFact, sign: 1 | -1) => {
    for (const [clock, bucket, ms] of [
      [CLOCK.calendar, f.cal_bucket, f.calendar_ms],
      [CLOCK.business, f.bus_bucket, f.business_ms],
    ] as const) {
      if (bucket === null || ms === null) continue;
      const key: Delta['key'] = [
        Number(f.kind),
        clock,
        Number(f.day),
        Number(f.department_id),
        Number(bucket) >> COARSE_SHIFT,
      ];
      const id = key.join(':');
      const d = out.get(id) ?? { key, n: 0, total: 0 };
      d.n += sign;
      d.total += sign * Number(ms);
      out.set(id, d);
    }
  };
  for (const f of before) add(f, -1);
  for (const f of after) add(f, 1);
  // A fixed order, so two refreshes touching the same rows lock them in the same order (no deadlock).
  return [...out.values()]
    .filter((d) => d.n !== 0 || d.total !== 0)
    .sort((a, b) => {
      for (let i = 0; i < 5; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
      return 0;
    });
}

const ROWS = 1000;

/** Moves the rollup from the tickets' old facts to their new ones (inside the refresh's transaction). */
export async function applyHist(trx: Db, before: HistFact[], after: HistFact[]): Promise<void> {
  const list = deltas(before, after);
  for (let i = 0; i < list.length; i += ROWS)
    await trx
      .insertInto('report_hist')
      .values(
        list.slice(i, i + ROWS).map((d) => ({
          kind: d.key[0],
          clock: d.key[1],
          day: d.key[2],
          department_id: d.key[3],
          bucket: d.key[4],
          n: d.n,
          total: d.total,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['kind', 'clock', 'day', 'department_id', 'bucket']).doUpdateSet({
          n: sql`report_hist.n + excluded.n`,
          total: sql`report_hist.total + excluded.total`,
        }),
      )
      .execute();
}

/** The rollup remade from every fact, in one transaction that refreshes wait for. */
export async function rebuildHist(db: Db): Promise<void> {
  const per = sql.raw(String(2 ** COARSE_SHIFT));
  await db.transaction().execute(async (trx) => {
    if (isPostgres(trx)) await sql`lock table report_hist in exclusive mode`.execute(trx);
    await trx.deleteFrom('report_hist').execute();
    for (const [clock, bucket, ms] of [
      [CLOCK.calendar, 'cal_bucket', 'calendar_ms'],
      [CLOCK.business, 'bus_bucket', 'business_ms'],
    ] as const)
      await sql`insert into report_hist (kind, clock, day, department_id, bucket, n, total)
        select kind, ${clock}, day, department_id, ${sql.ref(bucket)} / ${per}, count(*), sum(${sql.ref(ms)})
        from report_facts where ${sql.ref(bucket)} is not null
        group by kind, day, department_id, ${sql.ref(bucket)} / ${per}`.execute(trx);
  });
}
