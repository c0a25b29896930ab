import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { KIND, type FactKind } from './reports.facts.ts';
import { factFilter } from './reports.filter.ts';
import { periodOf, type Scope } from './reports.query.ts';
import { countByDay, facts, fineRange, hist, locate, rollupServes, type Days } from './reports.read.ts';
import { percentileRank } from './reports.stats.ts';

// The exact calendar median of a measure in each period of a report (the
// speed report's series). With the rollup: its counts per day and bucket
// place every period's median in one bucket, and one read fetches the facts
// of those (period, bucket) pairs. Otherwise: counts per day from the facts,
// then one ordered read per period.

const n = (v: unknown) => Number(v);

/** Median per period, keyed by the period's first day (null: nothing measured). */
export async function medianSeries(
  db: Db,
  scope: Scope,
  kind: FactKind,
  starts: number[],
): Promise<Map<number, number | null>> {
  const out = new Map<number, number | null>(starts.map((p) => [p, null]));
  const daysOf = (i: number): Days => ({ from: starts[i]!, to: (starts[i + 1] ?? scope.toDay + 1) - 1 });
  if (!rollupServes(scope)) {
    const counts = new Map<number, number>();
    for (const c of await countByDay(db, scope, [kind])) {
      const p = periodOf(scope, c.day);
      counts.set(p, (counts.get(p) ?? 0) + c.n);
    }
    for (const [p, v] of await mediansOf(
      db,
      scope,
      kind,
      starts.map((p, i) => ({ p, days: daysOf(i), count: counts.get(p) ?? 0 })),
    ))
      out.set(p, v);
    return out;
  }

  const perPeriod = new Map<number, Map<number, number>>();
  for (const r of await hist(db, scope, kind, ['calendar'])
    .select(['day', 'bucket', (eb) => eb.fn.sum<string | number>('n').as('n')])
    .groupBy(['day', 'bucket'])
    .execute()) {
    const p = periodOf(scope, n(r.day));
    let buckets = perPeriod.get(p);
    if (!buckets) perPeriod.set(p, (buckets = new Map()));
    buckets.set(n(r.bucket), (buckets.get(n(r.bucket)) ?? 0) + n(r.n));
  }
  const wanted = [];
  for (const [i, p] of starts.entries()) {
    const list = [...(perPeriod.get(p) ?? [])]
      .filter(([, count]) => count > 0)
      .sort((a, b) => a[0] - b[0])
      .map(([bucket, count]) => ({ ...fineRange(bucket), n: count, total: 0 }));
    const count = list.reduce((a, b) => a + b.n, 0);
    if (count > 0) wanted.push({ period: p, days: daysOf(i), ...locate(list, count, 50) });
  }
  if (wanted.length === 0) return out;
  // One read per period of its median's bucket over its days, all in one
  // statement: for a day it is one short range of the (kind, day, bucket)
  // index, read from the index alone (an OR of them would make PostgreSQL
  // visit the table).
  const filter = factFilter(scope);
  const reads = wanted.map((w) => {
    const days =
      w.days.from === w.days.to
        ? sql`f.day = ${w.days.from}`
        : sql`f.day between ${w.days.from} and ${w.days.to}`;
    return sql`select f.day, f.cal_bucket as b, f.calendar_ms as v from report_facts f
      where f.kind = ${KIND[kind]} and ${days} and f.cal_bucket between ${w.range.lo} and ${w.range.hi} and ${filter}`;
  });
  const { rows } = await sql<{
    day: number;
    b: number;
    v: number;
  }>`${sql.join(reads, sql` union all `)}`.execute(db);
  for (const w of wanted) {
    const values = rows
      .filter(
        (r) =>
          n(r.day) >= w.days.from && n(r.day) <= w.days.to! && n(r.b) >= w.range.lo && n(r.b) <= w.range.hi,
      )
      .map((r) => n(r.v))
      .sort((a, b) => a - b);
    out.set(w.period, values[w.rank - 1] ?? null);
  }
  return out;
}

/**
 * The median of each period from the facts, given how many each holds: per
 * period, the index walks its days' values in order to the middle one; all
 * periods in one statement (one round trip, not one per day).
 */
async function mediansOf(
  db: Db,
  scope: Scope,
  kind: FactKind,
  list: { p: number; days: Days; count: number }[],
): Promise<Map<number, number>> {
  const reads = list
    .filter((x) => x.count > 0)
    .map((x, i) =>
      db
        .selectFrom(
          facts(db, scope, [kind], x.days)
            .select([sql<number>`${sql.lit(x.p)}`.as('p'), 'f.calendar_ms as v'])
            .orderBy('f.cal_bucket')
            .orderBy('f.calendar_ms')
            .limit(1)
            .offset(percentileRank(x.count, 50) - 1)
            .as(`m${i}`),
        )
        .selectAll(),
    );
  if (reads.length === 0) return new Map();
  const rows = await reads.reduce((all, read) => all.unionAll(read)).execute();
  return new Map(rows.map((r) => [n(r.p), n(r.v)]));
}
