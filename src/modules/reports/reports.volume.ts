import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { ticketFilter } from './reports.filter.ts';
import { LEFT_WORK } from './reports.measures.ts';
import { dayLabel, periodAt, periods, type Scope } from './reports.query.ts';

// Volume: what happened in each period, and the backlog left at its end.

export interface VolumeRow {
  period: string;
  created: number;
  resolved: number;
  closed: number;
  reopened: number;
  backlog: number;
}

export interface Volume {
  series: VolumeRow[];
  totals: { created: number; resolved: number; closed: number; reopened: number };
}

const SLOT = 15 * 60_000;

export async function volumeReport(db: Db, scope: Scope): Promise<Volume> {
  const filter = ticketFilter(scope);
  // The backlog at the range's start, worked back from today's open tickets:
  // open then = open now + left work since − reopened since, counting only
  // tickets created before the range. This reads the (small) open set and the
  // events after the start instead of the whole history.
  const openNow = await db
    .selectFrom('tickets as t')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('t.state', 'in', ['open', 'pending'])
    .where('t.created_at', '<', scope.start)
    .where(filter)
    .executeTakeFirstOrThrow();
  const since = await db
    .selectFrom('ticket_events as e')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select([
      sql<string | number>`coalesce(sum(case when ${LEFT_WORK} then 1 else 0 end), 0)`.as('left'),
      sql<string | number>`coalesce(sum(case when e.type = 'reopened' then 1 else 0 end), 0)`.as('reopened'),
    ])
    .where('e.created_at', '>=', scope.start)
    .where('e.type', 'in', ['resolved', 'closed', 'reopened'])
    .where('t.created_at', '<', scope.start)
    .where(filter)
    .executeTakeFirstOrThrow();

  // Counted per 15-minute slot in SQL: every zone's offset is a whole number of
  // quarter hours, so a slot never straddles a local midnight.
  const slot = (col: string) => sql<number>`${sql.ref(col)} / ${SLOT}`;
  const created = await db
    .selectFrom('tickets as t')
    .select([slot('t.created_at').as('slot'), (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('t.created_at', '>=', scope.start)
    .where('t.created_at', '<', scope.end)
    .where(filter)
    .groupBy(sql`1`)
    .execute();
  const events = await db
    .selectFrom('ticket_events as e')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select([
      slot('e.created_at').as('slot'),
      'e.type',
      sql<number>`case when ${LEFT_WORK} then 1 else 0 end`.as('left'),
      (eb) => eb.fn.countAll<string | number>().as('n'),
    ])
    .where('e.created_at', '>=', scope.start)
    .where('e.created_at', '<', scope.end)
    .where('e.type', 'in', ['resolved', 'closed', 'reopened'])
    .where(filter)
    .groupBy([sql`1`, sql`2`, sql`3`])
    .execute();

  const rows = new Map<number, VolumeRow>();
  for (const p of periods(scope))
    rows.set(p, { period: dayLabel(p), created: 0, resolved: 0, closed: 0, reopened: 0, backlog: 0 });
  const at = (s: unknown) => rows.get(periodAt(scope, Number(s) * SLOT))!;
  for (const c of created) at(c.slot).created += Number(c.n);
  for (const e of events) {
    const row = at(e.slot);
    const n = Number(e.n);
    if (Number(e.left) === 1) row.resolved += n;
    if (e.type === 'closed') row.closed += n;
    if (e.type === 'reopened') row.reopened += n;
  }
  let backlog = Number(openNow.n) + Number(since.left) - Number(since.reopened);
  const series = [...rows.values()];
  const totals = { created: 0, resolved: 0, closed: 0, reopened: 0 };
  for (const row of series) {
    backlog += row.created - row.resolved + row.reopened;
    row.backlog = backlog;
    totals.created += row.created;
    totals.resolved += row.resolved;
    totals.closed += row.closed;
    totals.reopened += row.reopened;
  }
  return { series, totals };
}
