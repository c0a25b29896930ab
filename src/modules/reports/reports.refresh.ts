import { isPostgres, type Db } from '../../db/database.ts';
import type { ReportFactsTable } from '../../db/schema.reports.ts';
import type { JobHandlers } from '../outbox/outbox.registry.ts';
import { ALWAYS_OPEN } from '../sla/sla.calendar.ts';
import { planRules, type SlaPlanRules } from '../sla/sla.plan.ts';
import { getSetting } from '../settings/settings.service.ts';
import { applyHist, rebuildHist } from './reports.hist.ts';
import { REBUILD_JOB, REFRESH_JOB } from './reports.touch.ts';
import { ticketFacts, type FactEntry, type FactEvent, type FactTicket } from './reports.facts.ts';

// Keeps report_facts in step with the tickets: reports.refresh recomputes the
// facts of the tickets a change touched (enqueued in that change's
// transaction by reports.touch.ts), reports.rebuild all of them (a new
// desk zone, `deskline reports rebuild`, a bulk seed).

const ZONE = 'zone';
/** Tickets per read of their rows; the bind-parameter limits (SQLite 32,766, PostgreSQL 65,535) bound the insert below. */
const CHUNK = 1000;
const INSERT_ROWS = 1500;

const num = (v: unknown) => Number(v);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function groupBy<R>(rows: R[], key: (r: R) => number): Map<number, R[]> {
  const m = new Map<number, R[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** The facts of these tickets, read from their raw rows. */
async function factsOf(db: Db, ids: number[], zone: string, plans: Map<number, SlaPlanRules>) {
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
  const entriesOf = groupBy(entries, (r) => num(r.ticket_id));
  const eventsOf = groupBy(events, (r) => num(r.ticket_id));
  const breachesOf = groupBy(breaches, (r) => num(r.ticket_id));
  const out: ReportFactsTable[] = [];
  for (const raw of tickets) {
    const t: FactTicket = {
      ...raw,
      id: num(raw.id),
      created_at: num(raw.created_at),
      resolved_at: numOrNull(raw.resolved_at),
      sla_plan_id: numOrNull(raw.sla_plan_id),
      priority_level: num(raw.priority_level),
      department_id: num(raw.department_id),
      team_id: numOrNull(raw.team_id),
      assignee_id: numOrNull(raw.assignee_id),
      help_topic_id: numOrNull(raw.help_topic_id),
      priority_id: num(raw.priority_id),
      organization_id: numOrNull(raw.organization_id),
    };
    const plan = t.sla_plan_id === null ? undefined : plans.get(t.sla_plan_id);
    const ticketEntries: FactEntry[] = (entriesOf.get(t.id) ?? []).map((e) => ({
      kind: e.kind,
      author_agent_id: numOrNull(e.author_agent_id),
      created_at: num(e.created_at),
    }));
    const ticketEvents: FactEvent[] = (eventsOf.get(t.id) ?? []).map((e) => ({
      ...e,
      actor_id: numOrNull(e.actor_id),
      created_at: num(e.created_at),
    }));
    out.push(
      ...ticketFacts(t, ticketEntries, ticketEvents, {
        zone,
        calendar: plan?.calendar ?? ALWAYS_OPEN,
        targets: plan?.targets[String(t.priority_level)],
        breached: new Set((breachesOf.get(t.id) ?? []).map((b) => b.clock)),
      }),
    );
  }
  return out;
}

async function plansOf(db: Db): Promise<Map<number, SlaPlanRules>> {
  const plans = new Map<number, SlaPlanRules>();
  for (const row of await db.selectFrom('sla_plans').selectAll().execute())
    plans.set(num(row.id), planRules(row));
  return plans;
}

async function writeFacts(db: Db, facts: ReportFactsTable[]): Promise<void> {
  for (let i = 0; i < facts.length; i += INSERT_ROWS)
    await db
      .insertInto('report_facts')
      .values(facts.slice(i, i + INSERT_ROWS))
      .execute();
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

/** Takes a ticket about to be deleted out of the rollup (its facts go with it by cascade), in the deleting transaction. */
export async function forgetFacts(trx: Db, ticketId: number): Promise<void> {
  const before = await trx
    .selectFrom('report_facts')
    .select(HIST_COLUMNS)
    .where('ticket_id', '=', ticketId)
    .where('cal_bucket', 'is not', null)
    .execute();
  await applyHist(trx, before, []);
}

/** Replaces the facts of these tickets inside the caller's transaction. */
async function replaceFacts(
  trx: Db,
  ids: number[],
  zone: string,
  plans: Map<number, SlaPlanRules>,
  rollup = true,
) {
  // Two writers of one ticket's facts (refreshes, a rebuild) wait for each other here; SQLite has one writer.
  if (isPostgres(trx))
    await trx.selectFrom('tickets').select('id').where('id', 'in', ids).forUpdate().execute();
  const before = rollup
    ? await trx
        .selectFrom('report_facts')
        .select(HIST_COLUMNS)
        .where('ticket_id', 'in', ids)
        .where('cal_bucket', 'is not', null)
        .execute()
    : [];
  await trx.deleteFrom('report_facts').where('ticket_id', 'in', ids).execute();
  const after = await factsOf(trx, ids, zone, plans);
  await writeFacts(trx, after);
  if (rollup) await applyHist(trx, before, after);
}

/** Recomputes the facts of these tickets in one transaction. */
export async function refreshFacts(db: Db, ticketIds: number[]): Promise<void> {
  const ids = [...new Set(ticketIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  const zone = (await getSetting(db, 'automation')).timezone;
  // Facts cut in another zone (or none yet: a desk that predates them) are all remade once.
  if ((await factsZone(db)) !== zone) return void (await rebuildFacts(db));
  const plans = await plansOf(db);
  await db.transaction().execute((trx) => replaceFacts(trx, ids, zone, plans));
}

/**
 * Recomputes every ticket's facts in the desk's current zone, a chunk of
 * tickets per transaction (reports read partial facts while it runs). Runs
 * when the desk's zone changed (from the next refresh job), after a bulk seed,
 * and from `deskline reports rebuild`.
 */
export async function rebuildFacts(db: Db, onProgress?: (done: number) => void): Promise<number> {
  const zone = (await getSetting(db, 'automation')).timezone;
  const plans = await plansOf(db);
  // Recorded first, so refreshes running meanwhile cut their tickets in this zone too.
  await setFactsZone(db, zone);
  await db.deleteFrom('report_facts').execute();
  let done = 0;
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('tickets')
      .select('id')
      .where('id', '>', after)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    if (rows.length === 0) break;
    const ids = rows.map((r) => num(r.id));
    // The rollup is remade once at the end rather than moved chunk by chunk.
    await db.transaction().execute((trx) => replaceFacts(trx, ids, zone, plans, false));
    after = ids[ids.length - 1]!;
    done += ids.length;
    onProgress?.(done);
  }
  await rebuildHist(db);
  return done;
}

/** The zone the facts' days were cut in (null before the first rebuild). */
export async function factsZone(db: Db): Promise<string | null> {
  const row = await db.selectFrom('report_state').select('value').where('name', '=', ZONE).executeTakeFirst();
  return row?.value ?? null;
}

async function setFactsZone(db: Db, zone: string): Promise<void> {
  await db
    .insertInto('report_state')
    .values({ name: ZONE, value: zone })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: zone }))
    .execute();
}

export function reportHandlers(db: Db): Pick<JobHandlers, typeof REFRESH_JOB | typeof REBUILD_JOB> {
  return {
    [REFRESH_JOB]: ({ ticketIds }) => refreshFacts(db, ticketIds),
    [REBUILD_JOB]: async () => void (await rebuildFacts(db)),
  };
}
