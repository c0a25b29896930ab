import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../db/database.ts';
import { CHANNEL_CODE, KIND, type FactKind } from './reports.facts.ts';
import { CLOCK } from './reports.rollup.ts';
import type { Days, Filters, Scope } from './reports.scope.ts';

// The read side of the reports over report_facts (aliased `f`) and the
// report_hist rollup. Every facts query is one (kind, day) range of a
// covering index. A ticket counts under its current department, agent,
// topic… (the facts carry the ticket's current fields): see docs/REPORTS.md.

export type Clock = 'calendar' | 'business';
const COLUMNS = {
  calendar: { bucket: 'f.cal_bucket', value: 'f.calendar_ms' },
  business: { bucket: 'f.bus_bucket', value: 'f.business_ms' },
} as const;

type Columns = Record<keyof Filters, string>;

const TICKET: Columns = {
  department: 't.department_id',
  team: 't.team_id',
  agent: 't.assignee_id',
  topic: 't.help_topic_id',
  priority: 't.priority_id',
  channel: 't.source',
  organization: 't.organization_id',
};
const FACT: Columns = {
  department: 'f.department_id',
  team: 'f.team_id',
  agent: 'f.assignee_id',
  topic: 'f.help_topic_id',
  priority: 'f.priority_id',
  channel: 'f.channel',
  organization: 'f.organization_id',
};

function filterOn(
  scope: Scope,
  columns: Columns,
  channel: (c: string) => string | number,
): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  for (const [key, column] of Object.entries(columns) as [keyof Filters, string][]) {
    const value = scope.filters[key];
    if (value !== undefined)
      parts.push(sql`${sql.ref(column)} = ${typeof value === 'string' ? channel(value) : value}`);
  }
  if (scope.departments)
    parts.push(
      scope.departments.length === 0
        ? sql`1 = 0`
        : sql`${sql.ref(columns.department)} in (${sql.join(scope.departments)})`,
    );
  return parts.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/** The report's filters over the tickets table aliased `t` (raw reads: breaches, surveys, ratings, the open backlog). */
export const ticketFilter = (scope: Scope) => filterOn(scope, TICKET, (c) => c);
/** The report's filters over report_facts aliased `f`. */
export const factFilter = (scope: Scope) => filterOn(scope, FACT, (c) => CHANNEL_CODE[c]!);

/** Facts of some kinds on some days that pass the report's filters. */
function facts(db: Db, scope: Scope, kinds: FactKind[], days: Days) {
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
export async function countByDay(db: Db, scope: Scope, kinds: FactKind[], days: Days) {
  const rows = await facts(db, scope, kinds, days)
    .select(['f.kind', 'f.day', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy(['f.kind', 'f.day'])
    .execute();
  return rows.map((r) => ({ kind: n(r.kind), day: n(r.day), n: n(r.n) }));
}

/** How many facts of a kind there are per actor (replying or resolving agent). */
export async function countByActor(db: Db, scope: Scope, kind: FactKind, days: Days) {
  const rows = await facts(db, scope, [kind], days)
    .select(['f.actor_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('f.actor_id', 'is not', null)
    .groupBy('f.actor_id')
    .execute();
  return new Map(rows.map((r) => [n(r.actor_id), n(r.n)]));
}

/** Facts of a kind with an SLA flag of 1 (met). */
export async function countMet(db: Db, scope: Scope, kind: FactKind, days: Days): Promise<number> {
  const row = await facts(db, scope, [kind], days)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('f.sla', '=', 1)
    .executeTakeFirstOrThrow();
  return n(row.n);
}

/** The rollup rows of a measure in some clocks over the report's days and departments. */
function rollup(db: Db, scope: Scope, kind: FactKind, clocks: Clock[]) {
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

/** A measure's counts and sums per clock and coarse bucket, from the rollup, in bucket order. */
export async function rollupBuckets(db: Db, scope: Scope, kind: FactKind) {
  const rows = await rollup(db, scope, kind, ['calendar', 'business'])
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
  return rows.map((r) => ({ clock: n(r.clock), bucket: n(r.bucket), n: n(r.n), total: n(r.s) }));
}

/** A measure's calendar counts per day and coarse bucket, from the rollup. */
export async function rollupDayBuckets(db: Db, scope: Scope, kind: FactKind) {
  const rows = await rollup(db, scope, kind, ['calendar'])
    .select(['day', 'bucket', (eb) => eb.fn.sum<string | number>('n').as('n')])
    .groupBy(['day', 'bucket'])
    .execute();
  return rows.map((r) => ({ day: n(r.day), bucket: n(r.bucket), n: n(r.n) }));
}

/**
 * A measure's counts per pair of fine buckets (calendar, business) with their
 * sums, in one read of the facts (for filters outside the rollup's key).
 * Grouping by the pair costs little more than by one bucket.
 */
export async function factBuckets(db: Db, scope: Scope, kind: FactKind, days: Days) {
  const rows = await facts(db, scope, [kind], days)
    .select([
      'f.cal_bucket as cb',
      'f.bus_bucket as bb',
      (eb) => eb.fn.countAll<string | number>().as('n'),
      (eb) => eb.fn.sum<string | number>('f.calendar_ms').as('cs'),
      (eb) => eb.fn.sum<string | number>('f.business_ms').as('bs'),
    ])
    .groupBy(['f.cal_bucket', 'f.bus_bucket'])
    .execute();
  return rows.map((r) => ({ cb: n(r.cb), bb: n(r.bb), n: n(r.n), cs: n(r.cs), bs: n(r.bs) }));
}

/** Counts and sums per actor and fine bucket in one clock, from the facts, in (actor, bucket) order. */
export async function actorBuckets(db: Db, scope: Scope, kind: FactKind, clock: Clock, days: Days) {
  const col = COLUMNS[clock];
  const rows = await facts(db, scope, [kind], days)
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
  return rows.map((r) => ({ k: n(r.k), b: n(r.b), n: n(r.n), total: n(r.s) }));
}

/**
 * The durations in one clock of the facts in these fine buckets (each one
 * short range of the bucket-first index), keyed by actor or (perActor false) 0.
 */
export async function bucketValues(
  db: Db,
  scope: Scope,
  q: { kind: FactKind; clock: Clock; buckets: number[]; perActor: boolean; days: Days },
) {
  const col = COLUMNS[q.clock];
  const key = q.perActor ? sql<number>`f.actor_id` : sql<number>`0`;
  const rows = await facts(db, scope, [q.kind], q.days)
    .select([
      key.as('k'),
      sql<number>`${sql.ref(col.bucket)}`.as('b'),
      sql<string | number>`${sql.ref(col.value)}`.as('v'),
    ])
    .where(sql.ref(col.bucket), 'in', q.buckets)
    .execute();
  return rows.map((r) => ({ k: n(r.k), b: n(r.b), v: n(r.v) }));
}

/**
 * The calendar durations of each period's wanted bucket range over its days,
 * all in one statement: for a day it is one short range of the (kind, day,
 * bucket) index, read from the index alone (an OR of them would make
 * PostgreSQL visit the table).
 */
export async function dayRangeValues(
  db: Db,
  scope: Scope,
  kind: FactKind,
  reads: { days: { from: number; to: number }; lo: number; hi: number }[],
) {
  const filter = factFilter(scope);
  const parts = reads.map((w) => {
    const days =
      w.days.from === w.days.to
        ? sql`f.day = ${w.days.from}`
        : sql`f.day between ${w.days.from} and ${w.days.to}`;
    return sql`select f.day, f.cal_bucket as b, f.calendar_ms as v from report_facts f
      where f.kind = ${KIND[kind]} and ${days} and f.cal_bucket between ${w.lo} and ${w.hi} and ${filter}`;
  });
  const { rows } = await sql<{
    day: number;
    b: number;
    v: number;
  }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return rows.map((r) => ({ day: n(r.day), b: n(r.b), v: n(r.v) }));
}

/**
 * The calendar duration at a 1-based rank in each period, from the facts: per
 * period, the index walks its days' values in order to that rank; all periods
 * in one statement (one round trip, not one per day).
 */
export async function valuesAtRank(
  db: Db,
  scope: Scope,
  kind: FactKind,
  list: { p: number; days: Days; rank: number }[],
): Promise<Map<number, number>> {
  const reads = list.map((x, i) =>
    db
      .selectFrom(
        facts(db, scope, [kind], x.days)
          .select([sql<number>`${sql.lit(x.p)}`.as('p'), 'f.calendar_ms as v'])
          .orderBy('f.cal_bucket')
          .orderBy('f.calendar_ms')
          .limit(1)
          .offset(x.rank - 1)
          .as(`m${i}`),
      )
      .selectAll(),
  );
  if (reads.length === 0) return new Map();
  const rows = await reads.reduce((all, read) => all.unionAll(read)).execute();
  return new Map(rows.map((r) => [n(r.p), n(r.v)]));
}
