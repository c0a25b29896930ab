import type { Db } from '../../db/database.ts';
import type { Status, Ticket, TicketPatch } from '../../db/schema.ts';
import { inUseCase, type Deps, type TxContext } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { NewJob } from '../outbox/outbox.registry.ts';
import { enqueue } from '../outbox/outbox.service.ts';
import type { Permission } from '../../contract/auth.contract.ts';
import type { Actor } from '../auth/auth.actor.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { lifecycleRules } from '../settings/settings.service.ts';
import { slaColumns, type SlaRow } from '../sla/sla.clock.ts';
import { planRules } from '../sla/sla.plan.ts';
import { decide, type Action, type ErrorCode } from './tickets.lifecycle.ts';
import { can, canView } from './tickets.policy.ts';
import { changesReportFacts, type EventType } from './tickets.events.ts';
import { recordEvents } from './tickets.events.repository.ts';
import { refreshJob } from '../reports/reports.refresh.service.ts';
import { prepareAnswer, type Answered } from './tickets.answer.service.ts';
import {
  findTicketByNumber,
  isCollaborator,
  lockTicketByNumber,
  updateTicket,
} from './tickets.repository.ts';

export interface Change {
  patch?: TicketPatch;
  events?: { type: EventType; data: Record<string, unknown> }[];
  jobs?: NewJob[];
}

/** A step's view of the use case: its transaction context and the ticket as the last step left it. */
export interface MutationContext extends TxContext {
  ticket: Ticket;
}

/** One change to a ticket: the permission it needs and how it decides the change from the current row. */
export interface Step {
  permission: Permission | null;
  decide: (ctx: MutationContext) => Promise<Change>;
}

/**
 * The shape of every ticket use case: one transaction that locks the ticket,
 * hides it from those who may not see it (404, never 403), checks the
 * permission, lets the use case decide the change, then writes the change,
 * its events and its jobs together. Several steps (a PATCH of many fields)
 * run in order in the same transaction, each seeing the row the last one left.
 */
export async function mutateTicket(
  deps: Deps,
  actor: Actor,
  number: string,
  ...steps: Step[]
): Promise<Answered> {
  return inUseCase(deps, actor, async (tx) => {
    const ticket = await loadVisibleTicket(tx.trx, actor, number);
    const applied = await applySteps(tx, ticket, steps);
    return { ticket: applied.ticket, answer: await prepareAnswer(tx, applied.ticket) };
  });
}

/** A ticket after its steps, and whether its report refresh is queued in this transaction. */
export interface Applied {
  ticket: Ticket;
  reportsQueued: boolean;
}

/**
 * Runs steps on a ticket already locked in the caller's transaction (the
 * scheduler's batches). The first change that alters the ticket's report facts
 * queues its refresh, unless the caller already has (`reportsQueued`).
 */
export async function applySteps(
  tx: TxContext,
  ticket: Ticket,
  steps: Step[],
  reportsQueued = false,
): Promise<Applied> {
  for (const step of steps) {
    if (step.permission && !can(tx.actor, ticket, step.permission))
      throw new AppError('forbidden', 403, `You may not ${step.permission} this ticket`);
    const change = await step.decide({ ...tx, ticket });
    const refreshReports = !reportsQueued && changesReportFacts(change.events ?? []);
    ticket = await applyChange(tx, ticket, change, refreshReports);
    reportsQueued ||= refreshReports;
  }
  return { ticket, reportsQueued };
}

/** The ticket if the actor may see it, else 404. Locked for the transaction unless it is only read. */
export async function loadVisibleTicket(trx: Db, actor: Actor, number: string, lock = true): Promise<Ticket> {
  const ticket = await (lock ? lockTicketByNumber : findTicketByNumber)(trx, number);
  const collaborator =
    ticket !== undefined && actor.kind === 'customer' && ticket.requester_id !== actor.id
      ? await isCollaborator(trx, ticket.id, actor.id)
      : false;
  if (!ticket || !canView(actor, ticket, collaborator)) throw notFound('ticket');
  return ticket;
}

/**
 * Writes a decided change: the row (with its SLA clocks recomputed), its events
 * and its jobs, led by the ticket's report refresh when the caller asks for it
 * (once per ticket and transaction: see applySteps).
 */
export async function applyChange(
  { trx, ref, actor, now }: TxContext,
  ticket: Ticket,
  change: Change,
  refreshReports = false,
): Promise<Ticket> {
  const after = { ...ticket, ...change.patch } as Ticket;
  const updated = await updateTicket(trx, ticket.id, {
    ...change.patch,
    ...slaFor(ref, ticket, after, now),
    updated_at: now,
  });
  await recordEvents(
    trx,
    (change.events ?? []).map((e) => ({ ticketId: ticket.id, type: e.type, data: e.data, actor, now })),
  );
  await enqueue(trx, now, [...(refreshReports ? [refreshJob([ticket.id])] : []), ...(change.jobs ?? [])]);
  return updated;
}

const STATUS_FOR: Record<ErrorCode, number> = {
  not_allowed: 403,
  invalid_transition: 409,
  reason_required: 422,
  ticket_closed: 409,
  reopen_window_passed: 409,
  not_due: 409,
};

const MESSAGES: Record<ErrorCode, string> = {
  not_allowed: 'You may not do that to this ticket',
  invalid_transition: 'The ticket cannot move to that state from its current one',
  reason_required: 'Closing a ticket needs a reason',
  ticket_closed: 'The ticket is closed; reopen it first',
  reopen_window_passed: 'This ticket can no longer be reopened; open a new one',
  not_due: 'The ticket is not due to close yet',
};

export const lifecycleError = (code: ErrorCode) =>
  new AppError(code === 'not_allowed' ? 'forbidden' : code, STATUS_FOR[code], MESSAGES[code]);

export interface Transition {
  patch: TicketPatch;
  before: { state: string; status: number };
  after: { state: string; status: number };
  reopened: boolean;
  newTicket: boolean;
}

/**
 * Asks the lifecycle whether an action is legal and turns its decision into
 * the column changes: state, status, resolution/closing times, reopen count
 * and the SLA clock. `explicit` is a status the agent chose by name.
 */
export function transition(
  ref: ReferenceSnapshot,
  ticket: Ticket,
  action: Action,
  actor: Actor,
  now: number,
  explicit?: Status,
): Transition {
  const rules = lifecycleRules(ref.settings.lifecycle, ref.department(ticket.department_id)?.auto_close_days);
  const current = ref.statusById(ticket.status_id);
  const lt = {
    state: ticket.state,
    statusKey: current?.key ?? null,
    resolvedAt: ticket.resolved_at,
    closedAt: ticket.closed_at,
  };
  const d = decide(lt, action, actor.kind, now, rules);
  if (!d.ok) throw lifecycleError(d.code);
  const before = { state: ticket.state, status: ticket.status_id };
  if (d.newTicket) return { patch: {}, before, after: before, reopened: false, newTicket: true };

  let statusId = explicit?.id ?? ticket.status_id;
  if (!explicit && d.status) {
    const row = ref.statusByKey(d.status);
    if (!row) throw new AppError('not_configured', 503, `The system status "${d.status}" is missing`);
    statusId = row.id;
  }
  const patch: TicketPatch = { state: d.state, status_id: statusId };
  if (d.state === 'resolved' && ticket.state !== 'resolved') patch.resolved_at = now;
  if (d.state === 'closed' && ticket.state !== 'closed') {
    patch.closed_at = now;
    patch.resolved_at = ticket.resolved_at ?? now;
  }
  if (d.reopened)
    Object.assign(patch, { resolved_at: null, closed_at: null, reopen_count: ticket.reopen_count + 1 });
  return {
    patch,
    before,
    after: { state: d.state, status: statusId },
    reopened: d.reopened,
    newTicket: false,
  };
}

/** The SLA columns of a ticket row at `now` (see sla.clock.ts); `before` is null at intake. */
export function slaFor(
  ref: ReferenceSnapshot,
  before: SlaRow | null,
  after: SlaRow & Pick<Ticket, 'status_id'>,
  now: number,
) {
  const row = after.sla_plan_id === null ? undefined : ref.slaPlan(after.sla_plan_id);
  const pauses = ref.statusById(after.status_id)?.pauses_sla === 1;
  return slaColumns(row ? planRules(row) : undefined, pauses, before, after, now);
}
