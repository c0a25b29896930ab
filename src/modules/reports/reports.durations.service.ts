import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { FactKind } from './reports.facts.ts';
import { CLOCK, COARSE_SHIFT } from './reports.rollup.ts';
import type { SummaryOut } from '../../contract/reports.contract.ts';
import { periodOf, rangeOf, type Days, type Scope } from './reports.scope.ts';
import * as stats from './reports.stats.repository.ts';
import type { Clock } from './reports.stats.repository.ts';

// How long things took: mean, median and p90 of a measure's durations, and
// the median per period. Percentiles use the nearest-rank method (the
// smallest value with at least p % of the values at or below it), so they are
// always a measured value and exact; the mean is rounded to the millisecond.
// They are found in two steps: counts per duration bucket (from the rollup
// when its key covers the filters), then the facts of the one bucket that
// holds the wanted rank (buckets are ordered like the values).

export type Summary = z.output<typeof SummaryOut>;
export interface Distribution extends Summary {
  count: number;
}

/** The 1-based rank of the p-th percentile among `count` sorted values. */
export const percentileRank = (count: number, p: number): number => Math.max(1, Math.ceil((p / 100) * count));

/** Counts per bucket, as ranges of fine buckets (a coarse rollup bucket covers eight). */
interface BucketCount {
  lo: number;
  hi: number;
  n: number;
  total: number;
}

/** The fine buckets a coarse rollup bucket covers. */
const fineRange = (coarse: number) => ({
  lo: coarse << COARSE_SHIFT,
  hi: (coarse << COARSE_SHIFT) + 2 ** COARSE_SHIFT - 1,
});

/** Whether the rollup's key (day, department) covers the report's filters. */
const rollupServes = ({ filters: f }: Scope): boolean =>
  [f.team, f.agent, f.topic, f.priority, f.channel, f.organization].every((v) => v === undefined);

/** Bucket counts per key: 0 for all of a measure's facts, or an actor's id. */
type Groups = Map<number, BucketCount[]>;

function groupsOf(rows: { k: number; b: BucketCount }[]): Groups {
  const out: Groups = new Map();
  for (const { k, b } of rows) {
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(b);
  }
  return out;
}

/** A measure's counts per coarse bucket in both clocks, in one read of the rollup. */
async function rollupCounts(db: Db, scope: Scope, kind: FactKind): Promise<Record<Clock, Groups>> {
  const rows = await stats.rollupBuckets(db, scope, kind);
  const of = (clock: Clock) =>
    groupsOf(
      rows
        .filter((r) => r.clock === CLOCK[clock])
        .map((r) => ({ k: 0, b: { ...fineRange(r.bucket), n: r.n, total: r.total } })),
    );
  return { calendar: of('calendar'), business: of('business') };
}

/** A measure's counts per fine bucket in both clocks, in one read of the facts. */
async function factCounts(db: Db, scope: Scope, kind: FactKind): Promise<Record<Clock, Groups>> {
  const rows = await stats.factBuckets(db, scope, kind, rangeOf(scope));
  const fold = (bucket: 'cb' | 'bb', sum: 'cs' | 'bs'): Groups => {
    const byBucket = new Map<number, BucketCount>();
    for (const r of rows) {
      const b = r[bucket];
      const c = byBucket.get(b) ?? { lo: b, hi: b, n: 0, total: 0 };
      c.n += r.n;
      c.total += r[sum];
      byBucket.set(b, c);
    }
    const list = [...byBucket.values()].sort((x, y) => x.lo - y.lo);
    return list.length > 0 ? new Map([[0, list]]) : new Map();
  };
  return { calendar: fold('cb', 'cs'), business: fold('bb', 'bs') };
}

interface Place {
  range: { lo: number; hi: number };
  rank: number;
}

/** The bucket range holding the p-th percentile, and the rank within it. */
function locate(list: BucketCount[], count: number, p: number): Place {
  let rank = percentileRank(count, p);
  for (const b of list) {
    if (rank <= b.n) return { range: { lo: b.lo, hi: b.hi }, rank };
    rank -= b.n;
  }
  throw new Error('rank beyond the counted facts');
}

/**
 * Mean, median and p90 of each group's durations in one clock. The counts
 * locate each wanted rank in a bucket; then only the facts of those buckets
 * are read, so the percentiles stay exact.
 */
async function summarize(
  db: Db,
  scope: Scope,
  kind: FactKind,
  clock: Clock,
  groups: Groups,
  perActor: boolean,
): Promise<Map<number, Distribution>> {
  const wanted = new Map<number, { median: Place; p90: Place; count: number; total: number }>();
  for (const [k, list] of groups) {
    const count = list.reduce((a, b) => a + b.n, 0);
    const total = list.reduce((a, b) => a + b.total, 0);
    wanted.set(k, { median: locate(list, count, 50), p90: locate(list, count, 90), count, total });
  }
  const ranges = new Map<string, Place['range']>();
  for (const w of wanted.values()) for (const p of [w.median, w.p90]) ranges.set(`${p.range.lo}`, p.range);
  const values = new Map<string, number[]>();
  if (ranges.size > 0) {
    // The fine buckets as a list: each is one short range of the bucket-first index.
    const buckets = [...ranges.values()].flatMap((r) =>
      Array.from({ length: r.hi - r.lo + 1 }, (_, i) => r.lo + i),
    );
    const rows = await stats.bucketValues(db, scope, {
      kind,
      clock,
      buckets,
      perActor,
      days: rangeOf(scope),
    });
    for (const r of rows)
      for (const range of ranges.values())
        if (r.b >= range.lo && r.b <= range.hi) {
          const at = `${r.k}:${range.lo}`;
          let list = values.get(at);
          if (!list) values.set(at, (list = []));
          list.push(r.v);
        }
  }
  const valueAt = (k: number, p: Place) =>
    (values.get(`${k}:${p.range.lo}`) ?? []).sort((a, b) => a - b)[p.rank - 1] ?? null;
  const out = new Map<number, Distribution>();
  for (const [k, w] of wanted)
    out.set(k, {
      count: w.count,
      meanMs: Math.round(w.total / w.count),
      medianMs: valueAt(k, w.median),
      p90Ms: valueAt(k, w.p90),
    });
  return out;
}

const NOTHING: Distribution = { count: 0, meanMs: null, medianMs: null, p90Ms: null };

/** The summary of all of a measure's durations, in calendar and in business time. */
export async function distribution(
  db: Db,
  scope: Scope,
  kind: FactKind,
): Promise<Record<Clock, Distribution>> {
  const counts = rollupServes(scope)
    ? await rollupCounts(db, scope, kind)
    : await factCounts(db, scope, kind);
  const of = async (clock: Clock) =>
    (await summarize(db, scope, kind, clock, counts[clock], false)).get(0) ?? NOTHING;
  return { calendar: await of('calendar'), business: await of('business') };
}

/** The summary of a measure's calendar durations per actor (the agent who gave the response). */
export async function distributionByActor(
  db: Db,
  scope: Scope,
  kind: FactKind,
): Promise<Map<number, Distribution>> {
  const rows = await stats.actorBuckets(db, scope, kind, 'calendar', rangeOf(scope));
  const groups = groupsOf(rows.map((r) => ({ k: r.k, b: { lo: r.b, hi: r.b, n: r.n, total: r.total } })));
  return summarize(db, scope, kind, 'calendar', groups, true);
}

/**
 * The exact calendar median of a measure in each period of a report (the
 * speed report's series), keyed by the period's first day (null: nothing
 * measured). With the rollup: its counts per day and bucket place every
 * period's median in one bucket, and one read fetches the facts of those
 * (period, bucket) pairs. Otherwise: counts per day from the facts, then one
 * ordered read per period.
 */
export async function medianSeries(
  db: Db,
  scope: Scope,
  kind: FactKind,
  starts: number[],
): Promise<Map<number, number | null>> {
  const out = new Map<number, number | null>(starts.map((p) => [p, null]));
  const daysOf = (i: number) => ({ from: starts[i]!, to: (starts[i + 1] ?? scope.toDay + 1) - 1 });
  if (!rollupServes(scope)) {
    const counts = new Map<number, number>();
    for (const c of await stats.countByDay(db, scope, [kind], rangeOf(scope))) {
      const p = periodOf(scope, c.day);
      counts.set(p, (counts.get(p) ?? 0) + c.n);
    }
    const list = starts
      .map((p, i) => ({ p, days: daysOf(i) as Days, count: counts.get(p) ?? 0 }))
      .filter((x) => x.count > 0)
      .map((x) => ({ p: x.p, days: x.days, rank: percentileRank(x.count, 50) }));
    for (const [p, v] of await stats.valuesAtRank(db, scope, kind, list)) out.set(p, v);
    return out;
  }

  const perPeriod = new Map<number, Map<number, number>>();
  for (const r of await stats.rollupDayBuckets(db, scope, kind)) {
    const p = periodOf(scope, r.day);
    let buckets = perPeriod.get(p);
    if (!buckets) perPeriod.set(p, (buckets = new Map()));
    buckets.set(r.bucket, (buckets.get(r.bucket) ?? 0) + r.n);
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
  const rows = await stats.dayRangeValues(
    db,
    scope,
    kind,
    wanted.map((w) => ({ days: w.days, lo: w.range.lo, hi: w.range.hi })),
  );
  for (const w of wanted) {
    const values = rows
      .filter((r) => r.day >= w.days.from && r.day <= w.days.to && r.b >= w.range.lo && r.b <= w.range.hi)
      .map((r) => r.v)
      .sort((a, b) => a - b);
    out.set(w.period, values[w.rank - 1] ?? null);
  }
  return out;
}
