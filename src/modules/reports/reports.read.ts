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

/** The rollup rows of a measure in some clocks over the report's days and departments. */
export function hist(db: Db, scope: Scope, kind: FactKind, clocks: Clock[]) {
  let q = db
    .selectFrom('report_hist')
    .where('kind', '=', KIND[kind])
    .where(
      'clock',
      'in',
      clocks.map((c) => CLOCK[c]),
    )
    .where('day', '>=', scope.fromDay)
    .where('day', '<=', scope.toDay);
  if (scope.filters.department !== undefined) q = q.where('department_id', '=', scope.filters.department);
  if (scope.departments)
    q = q.where('department_id', 'in', scope.departments.length ? scope.departments : [0]);
  return q;
}

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
  const rows = await hist(db, scope, kind, ['calendar', 'business'])
    .select([
      'clock',
      'bucket',
      (eb) => eb.fn.sum<string | number>('n').as('n'),
      (eb) => eb.fn.sum<string | number>('total').as('s'),
    ])
    .groupBy(['clock', 'bucket'])
    .having(sql`sum(n)`, '>', 0)
    .orderBy('clock')
    .orderBy('bucket')
    .execute();
  const of = (clock: Clock) =>
    groupsOf(
      rows
        .filter((r) => n(r.clock) === CLOCK[clock])
        .map((r) => ({ k: 0, b: { ...fineRange(n(r.bucket)), n: n(r.n), total: n(r.s) } })),
    );
  return { calendar: of('calendar'), business: of('business') };
}

/**
 * A measure's counts per fine bucket in both clocks, in one read of the facts
 * (for filters outside the rollup's key). Grouping by the pair of buckets
 * costs little more than by one, so the second clock comes almost free.
 */
async function factCounts(db: Db, scope: Scope, kind: FactKind): Promise<Record<Clock, Groups>> {
  const rows = await facts(db, scope, [kind])
    .select([
      'f.cal_bucket as cb',
      'f.bus_bucket as bb',
      (eb) => eb.fn.countAll<string | number>().as('n'),
      (eb) => eb.fn.sum<string | number>('f.calendar_ms').as('cs'),
      (eb) => eb.fn.sum<string | number>('f.business_ms').as('bs'),
    ])
    .groupBy(['f.cal_bucket', 'f.bus_bucket'])
    .execute();
  const fold = (bucket: 'cb' | 'bb', sum: 'cs' | 'bs'): Groups => {
    const byBucket = new Map<number, BucketCount>();
    for (const r of rows) {
      const b = n(r[bucket]);
      const c = byBucket.get(b) ?? { lo: b, hi: b, n: 0, total: 0 };
      c.n += n(r.n);
      c.total += n(r[sum]);
      byBucket.set(b, c);
    }
    const list = [...byBucket.values()].sort((x, y) => x.lo - y.lo);
    return list.length > 0 ? new Map([[0, list]]) : new Map();
  };
  return { calendar: fold('cb', 'cs'), business: fold('bb', 'bs') };
}

/** Counts per actor and fine bucket in one clock, from the facts. */
async function actorCounts(db: Db, scope: Scope, kind: FactKind, clock: Clock): Promise<Groups> {
  const col = COLUMNS[clock];
  const rows = await facts(db, scope, [kind])
    .select([
      'f.actor_id as k',
      sql<number>`${sql.ref(col.bucket)}`.as('b'),
      (eb) => eb.fn.countAll<string | number>().as('n'),
      sql<string | number>`sum(${sql.ref(col.value)})`.as('s'),
    ])
    .where('f.actor_id', 'is not', null)
    .groupBy([sql`1`, sql`2`])
    .orderBy(sql`1`)
    .orderBy(sql`2`)
    .execute();
  return groupsOf(rows.map((r) => ({ k: n(r.k), b: { lo: n(r.b), hi: n(r.b), n: n(r.n), total: n(r.s) } })));
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
  const col = COLUMNS[clock];
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
  return summarize(db, scope, kind, 'calendar', await actorCounts(db, scope, kind, 'calendar'), true);
}
