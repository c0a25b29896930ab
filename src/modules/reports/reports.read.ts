import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { KIND, type FactKind } from './reports.facts.ts';
import { factFilter } from './reports.filter.ts';
import { CLOCK, COARSE_SHIFT } from './reports.hist.ts';
import type { Scope } from './reports.query.ts';
import { percentileRank, type Summary } from './reports.stats.ts';

// Reads of report_facts and report_hist for the reports. Every facts query is
// one (kind, day) range of a covering index; percentiles are found in two
// steps: counts per duration bucket (from the rollup when its key covers the
// filters), then the facts of the one bucket that holds the wanted rank, so
// they stay exact (buckets are ordered like the values).

export type Clock = 'calendar' | 'business';
const COLUMNS = {
  calendar: { bucket: 'f.cal_bucket', value: 'f.calendar_ms' },
  business: { bucket: 'f.bus_bucket', value: 'f.business_ms' },
} as const;

export interface Days {
  from: number;
  /** Inclusive; null: up to the newest fact. */
  to: number | null;
}
export const rangeOf = (scope: Scope): Days => ({ from: scope.fromDay, to: scope.toDay });

/** Facts of some kinds on some days that pass the report's filters. */
export function facts(db: Db, scope: Scope, kinds: FactKind[], days: Days = rangeOf(scope)) {
  let q = db
    .selectFrom('report_facts as f')
    .where(
      'f.kind',
      'in',
      kinds.map((k) => KIND[k]),
    )
    .where('f.day', '>=', days.from);
  if (days.to !== null) q = q.where('f.day', '<=', days.to);
  return q.where(factFilter(scope));
}

const n = (v: unknown) => Number(v);

/** How many facts of each kind fall on each day. */
export async function countByDay(db: Db, scope: Scope, kinds: FactKind[], days?: Days) {
  const rows = await facts(db, scope, kinds, days)
    .select(['f.kind', 'f.day', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy(['f.kind', 'f.day'])
    .execute();
  return rows.map((r) => ({ kind: n(r.kind), day: n(r.day), n: n(r.n) }));
}

/** How many facts of each kind there are per actor (replying or resolving agent). */
export async function countByActor(db: Db, scope: Scope, kind: FactKind) {
  const rows = await facts(db, scope, [kind])
    .select(['f.actor_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('f.actor_id', 'is not', null)
    .groupBy('f.actor_id')
    .execute();
  return new Map(rows.map((r) => [n(r.actor_id), n(r.n)]));
}

/** Facts of a kind with an SLA flag of 1 (met). */
export async function countMet(db: Db, scope: Scope, kind: FactKind): Promise<number> {
  const row = await facts(db, scope, [kind])
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('f.sla', '=', 1)
    .executeTakeFirstOrThrow();
  return n(row.n);
}

export interface Distribution extends Summary {
  count: number;
}

/** The fine buckets a coarse rollup bucket covers. */
export const fineRange = (coarse: number) => ({
  lo: coarse << COARSE_SHIFT,
  hi: (coarse << COARSE_SHIFT) + 2 ** COARSE_SHIFT - 1,
});

/** Counts per bucket, as ranges of fine buckets (a coarse rollup bucket covers eight). */
export interface BucketCount {
  lo: number;
  hi: number;
  n: number;
  total: number;
}

/** Whether the rollup's key (day, department) covers the report's filters. */
export const rollupServes = ({ filters: f }: Scope): boolean =>
  [f.team, f.agent, f.topic, f.priority, f.channel, f.organization].every((v) => v === undefined);

/** The rollup rows of a measure in one clock over the report's days and departments. */
export function hist(db: Db, scope: Scope, kind: FactKind, clock: Clock) {
  let q = db
    .selectFrom('report_hist')
    .where('kind', '=', KIND[kind])
    .where('clock', '=', CLOCK[clock])
    .where('day', '>=', scope.fromDay)
    .where('day', '<=', scope.toDay);
  if (scope.filters.department !== undefined) q = q.where('department_id', '=', scope.filters.department);
  if (scope.departments)
    q = q.where('department_id', 'in', scope.departments.length ? scope.departments : [0]);
  return q;
}

/**
 * Counts per bucket: from the rollup when the only filters are departments
 * (its key), else from the facts themselves.
 */
async function bucketCounts(
  db: Db,
  scope: Scope,
  kind: FactKind,
  clock: Clock,
  perActor: boolean,
): Promise<Map<number, BucketCount[]>> {
  const out = new Map<number, BucketCount[]>();
  const push = (k: number, b: BucketCount) => {
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(b);
  };
  if (!perActor && rollupServes(scope)) {
    const rows = await hist(db, scope, kind, clock)
      .select([
        'bucket',
        (eb) => eb.fn.sum<string | number>('n').as('n'),
        (eb) => eb.fn.sum<string | number>('total').as('s'),
      ])
      .groupBy('bucket')
      .having(sql`sum(n)`, '>', 0)
      .orderBy('bucket')
      .execute();
    for (const r of rows) push(0, { ...fineRange(n(r.bucket)), n: n(r.n), total: n(r.s) });
    return out;
  }
  const col = COLUMNS[clock];
  const key = perActor ? sql<number>`f.actor_id` : sql<number>`0`;
  for (const r of await facts(db, scope, [kind])
    .select([
      key.as('k'),
      sql<number>`${sql.ref(col.bucket)}`.as('b'),
      (eb) => eb.fn.countAll<string | number>().as('n'),
      sql<string | number>`sum(${sql.ref(col.value)})`.as('s'),
    ])
    .where(perActor ? sql<boolean>`f.actor_id is not null` : sql<boolean>`1 = 1`)
    .groupBy([sql`1`, sql`2`])
    .orderBy(sql`1`)
    .orderBy(sql`2`)
    .execute())
    push(n(r.k), { lo: n(r.b), hi: n(r.b), n: n(r.n), total: n(r.s) });
  return out;
}

/**
 * Mean, median and p90 of a measure's durations in one clock: of all of them
 * (key 0), or per actor (the agent who gave the response). Counts per bucket
 * locate each wanted rank; then only the facts of those buckets are read.
 */
export async function distributions(
  db: Db,
  scope: Scope,
  kind: FactKind,
  clock: Clock,
  perActor = false,
): Promise<Map<number, Distribution>> {
  const col = COLUMNS[clock];
  const groups = await bucketCounts(db, scope, kind, clock, perActor);
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
    const key = perActor ? sql<number>`f.actor_id` : sql<number>`0`;
    // The fine buckets as a list: each is one short range of the bucket-first index.
    const fine = [...ranges.values()].flatMap((r) =>
      Array.from({ length: r.hi - r.lo + 1 }, (_, i) => r.lo + i),
    );
    const rows = await facts(db, scope, [kind])
      .select([
        key.as('k'),
        sql<number>`${sql.ref(col.bucket)}`.as('b'),
        sql<string | number>`${sql.ref(col.value)}`.as('v'),
      ])
      .where(sql.ref(col.bucket), 'in', fine)
      .execute();
    for (const r of rows)
      for (const range of ranges.values())
        if (n(r.b) >= range.lo && n(r.b) <= range.hi) {
          const at = `${n(r.k)}:${range.lo}`;
          let list = values.get(at);
          if (!list) values.set(at, (list = []));
          list.push(n(r.v));
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

interface Place {
  range: { lo: number; hi: number };
  rank: number;
}

export function locate(list: BucketCount[], count: number, p: number): Place {
  let rank = percentileRank(count, p);
  for (const b of list) {
    if (rank <= b.n) return { range: { lo: b.lo, hi: b.hi }, rank };
    rank -= b.n;
  }
  throw new Error('rank beyond the counted facts');
}

/** The summary of all of a measure's durations in one clock. */
export async function distribution(
  db: Db,
  scope: Scope,
  kind: FactKind,
  clock: Clock,
): Promise<Distribution> {
  return (
    (await distributions(db, scope, kind, clock)).get(0) ?? {
      count: 0,
      meanMs: null,
      medianMs: null,
      p90Ms: null,
    }
  );
}
