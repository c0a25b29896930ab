import { sql } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import type { ReportFactsTable } from '../../db/schema.reports.ts';
import { CLOCK, COARSE_SHIFT, type HistFact, type RollupDelta } from './reports.rollup.ts';

// The write side of the reports: the raw rows a ticket's facts are computed
// from, report_facts, the report_hist rollup, and report_state (the zone the
// facts' days were cut in).

const ZONE = 'zone';
/** Facts per insert and rollup rows per upsert: the bind-parameter limits (SQLite 32,766, PostgreSQL 65,535) bound them. */
const INSERT_ROWS = 1500;
const ROLLUP_ROWS = 1000;

/** What the facts of these tickets are computed from: the tickets, their messages and replies, state events and breaches. */
export async function factSources(db: Db, ids: number[]) {
  const tickets = await db
    .selectFrom('tickets')
    .select([
      'id',
      'created_at',
      'resolved_at',
      'state',
      'sla_plan_id',
      'priority_level',
      'department_id',
      'team_id',
      'assignee_id',
      'help_topic_id',
      'priority_id',
      'source',
      'organization_id',
    ])
    .where('id', 'in', ids)
    .execute();
  const entries = await db
    .selectFrom('thread_entries')
    .select(['ticket_id', 'kind', 'author_agent_id', 'created_at'])
    .where('ticket_id', 'in', ids)
    .where('kind', 'in', ['message', 'reply'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const events = await db
    .selectFrom('ticket_events')
    .select(['ticket_id', 'type', 'actor_type', 'actor_id', 'data', 'created_at'])
    .where('ticket_id', 'in', ids)
    .where('type', 'in', ['resolved', 'closed', 'reopened'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const breaches = await db
    .selectFrom('sla_events')
    .select(['ticket_id', 'clock'])
    .where('ticket_id', 'in', ids)
    .where('stage', '=', 'breach')
    .execute();
  return { tickets, entries, events, breaches };
}

export function slaPlanRows(db: Db) {
  return db.selectFrom('sla_plans').selectAll().execute();
}

/** Ticket ids after `afterId`, in order (a rebuild's chunks). */
export async function ticketIdsAfter(db: Db, afterId: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('tickets')
    .select('id')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}

/** Two writers of one ticket's facts (refreshes, a rebuild) wait for each other here; SQLite has one writer. */
export async function lockTicketsForFacts(trx: Db, ids: number[]): Promise<void> {
  if (isPostgres(trx))
    await trx.selectFrom('tickets').select('id').where('id', 'in', ids).forUpdate().execute();
}

const HIST_COLUMNS = [
  'kind',
  'day',
  'department_id',
  'cal_bucket',
  'bus_bucket',
  'calendar_ms',
  'business_ms',
] as const;

/** The measured facts of these tickets, as the rollup counts them. */
export function measuredFacts(db: Db, ids: number[]): Promise<HistFact[]> {
  return db
    .selectFrom('report_facts')
    .select(HIST_COLUMNS)
    .where('ticket_id', 'in', ids)
    .where('cal_bucket', 'is not', null)
    .execute();
}

/** Deletes the facts of these tickets, or every fact. */
export async function deleteFacts(db: Db, ids?: number[]): Promise<void> {
  let q = db.deleteFrom('report_facts');
  if (ids) q = q.where('ticket_id', 'in', ids);
  await q.execute();
}

export async function insertFacts(db: Db, facts: ReportFactsTable[]): Promise<void> {
  for (let i = 0; i < facts.length; i += INSERT_ROWS)
    await db
      .insertInto('report_facts')
      .values(facts.slice(i, i + INSERT_ROWS))
      .execute();
}

/** Moves the rollup by these deltas (inside the refresh's transaction). */
export async function applyRollup(trx: Db, list: RollupDelta[]): Promise<void> {
  for (let i = 0; i < list.length; i += ROLLUP_ROWS)
    await trx
      .insertInto('report_hist')
      .values(
        list.slice(i, i + ROLLUP_ROWS).map((d) => ({
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
export async function rebuildRollup(db: Db): Promise<void> {
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

/** The zone the facts' days were cut in (null before the first rebuild). */
export async function factsZone(db: Db): Promise<string | null> {
  const row = await db.selectFrom('report_state').select('value').where('name', '=', ZONE).executeTakeFirst();
  return row?.value ?? null;
}

export async function setFactsZone(db: Db, zone: string): Promise<void> {
  await db
    .insertInto('report_state')
    .values({ name: ZONE, value: zone })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: zone }))
    .execute();
}
