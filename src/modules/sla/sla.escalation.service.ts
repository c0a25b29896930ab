import type { Db } from '../../db/database.ts';
import type { Ticket } from '../../db/schema.ts';
import type { NewJob } from '../outbox/outbox.registry.ts';
import { enqueue } from '../outbox/outbox.service.ts';
import { inUseCase, type Deps, type TxContext } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { SYSTEM } from '../auth/auth.actor.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { recordEvents, type EventInput } from '../tickets/tickets.events.repository.ts';
import { applySteps, type Step } from '../tickets/tickets.change.service.ts';
import { changesReportFacts } from '../tickets/tickets.events.ts';
import { touchReports } from '../reports/reports.refresh.service.ts';
import { findTicketById } from '../tickets/tickets.repository.ts';
import { assignStep, priorityStep } from '../tickets/tickets.actions.ts';
import * as checks from './sla.checks.repository.ts';
import { nextCheck, runningClocks, type ClockDue } from './sla.clock.ts';
import type { EscalationAction } from '../../contract/sla.contract.ts';
import { planRules } from './sla.plan.ts';

// SLA warnings, breaches and escalation (the scheduler runs it every pass):
// tickets whose sla_check_at has come (an index range, however many tickets
// the desk holds), in batches. For each running clock past its warning or its
// due time an sla_events row is inserted; only the insert that wins fires the
// plan's escalation, in the same transaction, so two schedulers (or a
// restart) never fire one twice. Then sla_check_at moves to the ticket's next
// threshold, unless a change moved it meanwhile.

const BATCH = 500;

interface Fired {
  ticket: Ticket;
  clock: ClockDue;
  stage: 'warning' | 'breach';
}

/** Runs batches until nothing is due (or `maxBatches`); returns how many tickets were looked at. */
export async function runSlaChecks(
  deps: Deps,
  maxBatches = 1000,
): Promise<{ checked: number; fired: number }> {
  let checked = 0;
  let fired = 0;
  for (let i = 0; i < maxBatches; i++) {
    const r = await inUseCase(deps, SYSTEM, slaBatch);
    checked += r.checked;
    fired += r.fired;
    if (r.checked < BATCH) break;
  }
  return { checked, fired };
}

async function slaBatch(tx: TxContext) {
  const { trx, ref, now } = tx;
  // A second scheduler skips the rows the first is working on instead of queueing behind them.
  const due = await checks.lockDueTickets(trx, now, BATCH);
  if (due.length === 0) return { checked: 0, fired: 0 };

  const candidates: Fired[] = [];
  const nextChecks: { id: number; before: number; after: number | null }[] = [];
  for (const ticket of due) {
    const row = ticket.sla_plan_id === null ? undefined : ref.slaPlan(ticket.sla_plan_id);
    const clocks =
      row && ticket.state === 'open' ? runningClocks(planRules(row), ticket, ticket.sla_paused_ms) : [];
    for (const clock of clocks) {
      if (clock.warnAt !== null && clock.warnAt <= now && clock.due > now)
        candidates.push({ ticket, clock, stage: 'warning' });
      if (clock.due <= now) candidates.push({ ticket, clock, stage: 'breach' });
    }
    nextChecks.push({ id: ticket.id, before: ticket.sla_check_at!, after: nextCheck(clocks, now) });
  }
  const won = await firstFirings(trx, candidates, now);
  await checks.moveChecks(trx, nextChecks);
  await escalate(tx, won);
  return { checked: due.length, fired: won.length };
}

/** Inserts the candidates' sla_events; returns those this transaction inserted (the others fired before). */
async function firstFirings(trx: Db, list: Fired[], now: number): Promise<Fired[]> {
  const row = (f: Fired) => ({
    ticketId: f.ticket.id,
    clock: f.clock.clock,
    stage: f.stage,
    startedAt: f.clock.startedAt,
    dueAt: f.clock.due,
  });
  const inserted = await checks.insertSlaEvents(trx, list.map(row), now);
  return list.filter((f) => inserted.has(checks.slaEventKey(row(f))));
}

/** The plan's escalation for each fired stage: history events, alerts, and re-planning steps. */
async function escalate(tx: TxContext, fired: Fired[]) {
  const { trx, ref, now } = tx;
  const events: EventInput[] = [];
  const jobs: NewJob[] = [];
  const replans: { ticket: Ticket; steps: Step[] }[] = [];
  for (const f of fired) {
    const plan = planRules(ref.slaPlan(f.ticket.sla_plan_id!)!);
    const actions = f.stage === 'warning' ? plan.escalation.onWarning : plan.escalation.onBreach;
    const type = f.stage === 'warning' ? 'sla_warning' : 'sla_breached';
    events.push({
      ticketId: f.ticket.id,
      type,
      actor: SYSTEM,
      now,
      data: { clock: f.clock.clock, due: f.clock.due },
    });
    const steps: Step[] = [];
    for (const action of actions) {
      if (action.type === 'notify') jobs.push(alertJob(ref, f, action.to));
      else {
        const step = replanStep(ref, f.ticket, action);
        if (step) steps.push(step);
      }
    }
    if (steps.length) replans.push({ ticket: f.ticket, steps });
  }
  await recordEvents(trx, events);
  // A breach counts in the reports: one refresh for the breached tickets, before the alerts.
  const queued = new Set(events.filter((e) => changesReportFacts([e])).map((e) => e.ticketId));
  await touchReports(trx, [...queued], now);
  await enqueue(trx, now, jobs);
  for (const r of replans) {
    // Read again: moveChecks changed the row since the batch was read.
    const fresh = await findTicketById(trx, r.ticket.id);
    if (!fresh) continue;
    try {
      const applied = await applySteps(tx, fresh, r.steps, queued.has(fresh.id));
      if (applied.reportsQueued) queued.add(fresh.id);
    } catch (err) {
      // A plan naming an agent who cannot take the ticket must not stop the pass:
      // the SLA event and the alerts stand; the failed re-plan is in the history.
      if (!(err instanceof AppError)) throw err;
      await recordEvents(trx, [
        {
          ticketId: fresh.id,
          type: 'sla_breached',
          actor: SYSTEM,
          now,
          data: { escalationFailed: err.code },
        },
      ]);
      if (!queued.has(fresh.id)) await touchReports(trx, [fresh.id], now);
      queued.add(fresh.id);
    }
  }
}

function alertJob(
  ref: ReferenceSnapshot,
  f: Fired,
  to: ('assignee' | 'team_lead' | 'manager' | 'department')[],
): NewJob {
  const t = f.ticket;
  const ids = new Set<number>();
  if (to.includes('assignee') && t.assignee_id !== null) ids.add(t.assignee_id);
  const lead = t.team_id === null ? null : (ref.team(t.team_id)?.lead_id ?? null);
  if (to.includes('team_lead') && lead !== null) ids.add(lead);
  const manager = ref.department(t.department_id)?.manager_id ?? null;
  if (to.includes('manager') && manager !== null) ids.add(manager);
  return {
    type: f.stage === 'warning' ? 'notify.sla_warning' : 'notify.sla_breach',
    payload: {
      ticketId: t.id,
      agentIds: [...ids],
      ...(to.includes('department') ? { departmentId: t.department_id } : {}),
      clock: f.clock.clock,
      due: f.clock.due,
    },
  };
}

function replanStep(ref: ReferenceSnapshot, t: Ticket, action: EscalationAction): Step | undefined {
  if (action.type === 'raise_priority') {
    const higher = ref.priorities
      .filter((p) => p.level > t.priority_level)
      .sort((a, b) => a.level - b.level)[0];
    return higher ? priorityStep(SYSTEM, { priority: higher.id }) : undefined;
  }
  if (action.type === 'reassign') {
    const to = action.agentId ?? ref.department(t.department_id)?.manager_id ?? null;
    return to !== null && to !== t.assignee_id ? assignStep(SYSTEM, { assignee: to }) : undefined;
  }
  return undefined;
}
