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

export async function volumeReport(db: Db, scope: Scope): Promise<Volume> {
  const filter = ticketFilter(scope);
  // Backlog before the range: created − left work + reopened, over all earlier history.
  const createdBefore = await db
    .selectFrom('tickets as t')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('t.created_at', '<', scope.start)
    .where(filter)
    .executeTakeFirstOrThrow();
  const eventsBefore = await db
    .selectFrom('ticket_events as e')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select([
      sql<string | number>`coalesce(sum(case when ${LEFT_WORK} then 1 else 0 end), 0)`.as('left'),
      sql<string | number>`coalesce(sum(case when e.type = 'reopened' then 1 else 0 end), 0)`.as('reopened'),
    ])
    .where('e.created_at', '<', scope.start)
    .where('e.type', 'in', ['resolved', 'closed', 'reopened'])
    .where(filter)
    .executeTakeFirstOrThrow();

  const created = await db
    .selectFrom('tickets as t')
    .select('t.created_at')
    .where('t.created_at', '>=', scope.start)
    .where('t.created_at', '<', scope.end)
    .where(filter)
    .execute();
  const events = await db
    .selectFrom('ticket_events as e')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select(['e.type', 'e.created_at', sql<number>`case when ${LEFT_WORK} then 1 else 0 end`.as('left')])
    .where('e.created_at', '>=', scope.start)
    .where('e.created_at', '<', scope.end)
    .where('e.type', 'in', ['resolved', 'closed', 'reopened'])
    .where(filter)
    .execute();

  const rows = new Map<number, VolumeRow>();
  for (const p of periods(scope))
    rows.set(p, { period: dayLabel(p), created: 0, resolved: 0, closed: 0, reopened: 0, backlog: 0 });
  const at = (t: number) => rows.get(periodAt(scope, t))!;
  for (const c of created) at(Number(c.created_at)).created++;
  for (const e of events) {
    const row = at(Number(e.created_at));
    if (Number(e.left) === 1) row.resolved++;
    if (e.type === 'closed') row.closed++;
    if (e.type === 'reopened') row.reopened++;
  }
  let backlog = Number(createdBefore.n) - Number(eventsBefore.left) + Number(eventsBefore.reopened);
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
