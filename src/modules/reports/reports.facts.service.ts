import type { Db } from '../../db/database.ts';
import type { ReportFactsTable } from '../../db/schema.reports.ts';
import { ALWAYS_OPEN } from '../sla/sla.calendar.ts';
import { planRules, type SlaPlanRules } from '../sla/sla.plan.ts';
import { getSetting } from '../settings/settings.service.ts';
import { ticketFacts, type FactEntry, type FactEvent, type FactTicket } from './reports.facts.ts';
import * as facts from './reports.facts.repository.ts';
import { rollupDeltas } from './reports.rollup.ts';

// Keeps report_facts (and the report_hist rollup) in step with the tickets:
// refreshFacts recomputes the facts of the tickets a change touched (the
// reports.refresh job), rebuildFacts all of them (the reports.rebuild job,
// `deskline reports rebuild`, a bulk seed).

/** Tickets per read of their rows (and per transaction of a rebuild). */
const CHUNK = 1000;

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
  const { tickets, entries, events, breaches } = await facts.factSources(db, ids);
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
  for (const row of await facts.slaPlanRows(db)) plans.set(num(row.id), planRules(row));
  return plans;
}

/** Takes a ticket about to be deleted out of the rollup (its facts go with it by cascade), in the deleting transaction. */
export async function forgetFacts(trx: Db, ticketId: number): Promise<void> {
  await facts.applyRollup(trx, rollupDeltas(await facts.measuredFacts(trx, [ticketId]), []));
}

/** Replaces the facts of these tickets inside the caller's transaction. */
async function replaceFacts(
  trx: Db,
  ids: number[],
  zone: string,
  plans: Map<number, SlaPlanRules>,
  rollup = true,
) {
  await facts.lockTicketsForFacts(trx, ids);
  const before = rollup ? await facts.measuredFacts(trx, ids) : [];
  await facts.deleteFacts(trx, ids);
  const after = await factsOf(trx, ids, zone, plans);
  await facts.insertFacts(trx, after);
  if (rollup) await facts.applyRollup(trx, rollupDeltas(before, after));
}

/** Recomputes the facts of these tickets in one transaction. */
export async function refreshFacts(db: Db, ticketIds: number[]): Promise<void> {
  const ids = [...new Set(ticketIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  const zone = (await getSetting(db, 'automation')).timezone;
  // Facts cut in another zone (or none yet: a desk that predates them) are all remade once.
  if ((await facts.factsZone(db)) !== zone) return void (await rebuildFacts(db));
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
  await facts.setFactsZone(db, zone);
  await facts.deleteFacts(db);
  let done = 0;
  for (let after = 0; ;) {
    const ids = await facts.ticketIdsAfter(db, after, CHUNK);
    if (ids.length === 0) break;
    // The rollup is remade once at the end rather than moved chunk by chunk.
    await db.transaction().execute((trx) => replaceFacts(trx, ids, zone, plans, false));
    after = ids[ids.length - 1]!;
    done += ids.length;
    onProgress?.(done);
  }
  await facts.rebuildRollup(db);
  return done;
}
