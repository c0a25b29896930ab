import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { KIND, type FactKind } from './reports.facts.ts';
import { factFilter } from './reports.filter.ts';
import type { Scope } from './reports.query.ts';
import { percentileRank, type Summary } from './reports.stats.ts';

// Reads of report_facts for the reports. Every query is one (kind, day)
// range of a covering index; percentiles are found in two steps: counts per
// duration bucket (buckets are ordered like the values), then the values of
// the one bucket that holds the wanted rank, so they stay exact.

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

/**
 * Mean, median and p90 of a measure's durations in one clock: of all of them
 * (key 0), or per actor (the agent who gave the response).
 */
export async function distributions(
  db: Db,
  scope: Scope,
  kind: FactKind,
  clock: Clock,
  perActor = false,
): Promise<Map<number, Distribution>> {
  const col = COLUMNS[clock];
  const base = facts(db, scope, [kind]);
  const key = perActor ? sql<number>`f.actor_id` : sql<number>`0`;
  const buckets = await base
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
    .execute();
  const groups = new Map<number, { b: number; n: number }[]>();
  const sums = new Map<number, number>();
  for (const r of buckets) {
    const k = n(r.k);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push({ b: n(r.b), n: n(r.n) });
    sums.set(k, (sums.get(k) ?? 0) + n(r.s));
  }
  // Where each wanted rank falls: its bucket and its place inside it (1-based).
  const wanted = new Map<number, { median: Place; p90: Place; count: number }>();
  for (const [k, list] of groups) {
    const count = list.reduce((a, b) => a + b.n, 0);
    wanted.set(k, { median: locate(list, count, 50), p90: locate(list, count, 90), count });
  }
  const needed = [...new Set([...wanted.values()].flatMap((w) => [w.median.bucket, w.p90.bucket]))];
  const values = new Map<string, number[]>();
  if (needed.length > 0)
    for (const v of await base
      .select([
        key.as('k'),
        sql<number>`${sql.ref(col.bucket)}`.as('b'),
        sql<string | number>`${sql.ref(col.value)}`.as('v'),
      ])
      .where(sql.ref(col.bucket), 'in', needed)
      .execute()) {
      const at = `${n(v.k)}:${n(v.b)}`;
      let list = values.get(at);
      if (!list) values.set(at, (list = []));
      list.push(n(v.v));
    }
  const valueAt = (k: number, p: Place) =>
    (values.get(`${k}:${p.bucket}`) ?? []).sort((a, b) => a - b)[p.rank - 1] ?? null;
  const out = new Map<number, Distribution>();
  for (const [k, w] of wanted)
    out.set(k, {
      count: w.count,
      meanMs: Math.round(sums.get(k)! / w.count),
      medianMs: valueAt(k, w.median),
      p90Ms: valueAt(k, w.p90),
    });
  return out;
}

interface Place {
  bucket: number;
  rank: number;
}

function locate(list: { b: number; n: number }[], count: number, p: number): Place {
  let rank = percentileRank(count, p);
  for (const b of list) {
    if (rank <= b.n) return { bucket: b.b, rank };
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

/**
 * The median of a measure on each of some day ranges (the report's periods),
 * given how many facts each holds: the index walks a day's values in order,
 * so each is one short read.
 */
export async function medianOf(db: Db, scope: Scope, kind: FactKind, days: Days, count: number) {
  if (count === 0) return null;
  const row = await facts(db, scope, [kind], days)
    .select('f.calendar_ms as v')
    .orderBy('f.cal_bucket')
    .orderBy('f.calendar_ms')
    .limit(1)
    .offset(percentileRank(count, 50) - 1)
    .executeTakeFirst();
  return row ? n(row.v) : null;
}
