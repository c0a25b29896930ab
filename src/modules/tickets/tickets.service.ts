import { forgetFacts } from '../reports/reports.facts.service.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor } from '../auth/auth.actor.ts';
import type { Answered } from './tickets.answer.service.ts';
import type { Action } from './tickets.lifecycle.ts';
import { loadVisibleTicket, mutateTicket, type Step } from './tickets.change.service.ts';
import { can } from './tickets.policy.ts';
import { deleteTicketRow, retireNumber } from './tickets.repository.ts';
import * as S from '../../contract/tickets.contract.ts';
import * as steps from './tickets.actions.ts';

// The ticket actions other than replies and notes (see threads.service.ts).
// Each is one transaction through mutateTicket; the decisions live in tickets.actions.ts.

// A ticket moved to another department or team without anyone named is
// handed out at once when that department or team assigns automatically.

export async function assign(
  deps: Deps,
  actor: Actor,
  number: string,
  raw: S.AssignInput,
): Promise<Answered> {
  const input = parseInput(S.Assign, raw);
  const then = input.assignee === undefined ? [steps.autoAssignStep()] : [];
  return mutateTicket(deps, actor, number, steps.assignStep(actor, input), ...then);
}

export const transfer = async (deps: Deps, actor: Actor, number: string, raw: unknown): Promise<Answered> =>
  mutateTicket(
    deps,
    actor,
    number,
    steps.transferStep(actor, parseInput(S.Transfer, raw)),
    steps.autoAssignStep(),
  );

export const setPriority = async (
  deps: Deps,
  actor: Actor,
  number: string,
  raw: unknown,
): Promise<Answered> =>
  mutateTicket(deps, actor, number, steps.priorityStep(actor, parseInput(S.SetPriority, raw)));

export const setHelpTopic = async (
  deps: Deps,
  actor: Actor,
  number: string,
  raw: unknown,
): Promise<Answered> =>
  mutateTicket(deps, actor, number, steps.helpTopicStep(actor, parseInput(S.SetHelpTopic, raw)));

export const setDueDate = async (deps: Deps, actor: Actor, number: string, raw: unknown): Promise<Answered> =>
  mutateTicket(deps, actor, number, steps.dueDateStep(actor, parseInput(S.SetDueDate, raw)));

export const setStatus = async (deps: Deps, actor: Actor, number: string, raw: unknown): Promise<Answered> =>
  mutateTicket(deps, actor, number, steps.statusStep(actor, parseInput(S.SetStatus, raw)));

export async function resolve(
  deps: Deps,
  actor: Actor,
  number: string,
  raw: unknown = {},
): Promise<Answered> {
  const { reason } = parseInput(S.Reason, raw);
  return mutateTicket(deps, actor, number, steps.lifecycleStep(actor, 'close', { type: 'resolve' }, reason));
}

export async function close(deps: Deps, actor: Actor, number: string, raw: unknown): Promise<Answered> {
  const { reason } = parseInput(S.Reason, raw);
  const action: Action = { type: 'close', ...(reason ? { reason } : {}) };
  return mutateTicket(deps, actor, number, steps.lifecycleStep(actor, 'close', action, reason));
}

/** Agents reopen with the close permission; customers within the reopen window, with an optional comment. */
export async function reopen(deps: Deps, actor: Actor, number: string, raw: unknown = {}): Promise<Answered> {
  const { reason, comment } = parseInput(S.Reopen, raw);
  const permission = actor.kind === 'customer' ? null : 'close';
  if (comment !== undefined && actor.kind !== 'customer')
    throw new AppError('validation_failed', 422, 'comment: only customers comment a reopen; add a note');
  return mutateTicket(
    deps,
    actor,
    number,
    steps.lifecycleStep(actor, permission, { type: 'reopen' }, reason),
    ...(comment !== undefined && actor.kind === 'customer' ? [steps.reopenCommentStep(actor, comment)] : []),
  );
}

/** The customer confirms the solution: the resolved ticket closes. */
export const confirm = async (deps: Deps, actor: Actor, number: string): Promise<Answered> =>
  mutateTicket(
    deps,
    actor,
    number,
    steps.lifecycleStep(actor, null, { type: 'confirm' }, 'confirmed by the customer'),
  );

/** The scheduler (or an agent becoming available) hands an unassigned ticket to whoever's turn it is. */
export const autoAssign = async (deps: Deps, actor: Actor, number: string): Promise<Answered> =>
  mutateTicket(deps, actor, number, steps.autoAssignStep());

/** The scheduler reminds the customer of a ticket waiting on them. */
export const remind = async (deps: Deps, actor: Actor, number: string): Promise<Answered> =>
  mutateTicket(deps, actor, number, steps.reminderStep());

/** The scheduler closes a resolved ticket whose customer stayed silent. */
export const autoClose = async (deps: Deps, actor: Actor, number: string): Promise<Answered> =>
  mutateTicket(
    deps,
    actor,
    number,
    steps.lifecycleStep(actor, null, { type: 'auto_close' }, 'no reply from the customer'),
  );

/**
 * Several fields at once (PATCH), all or nothing: department first (it
 * decides who may be assigned), then team and assignee, priority, help topic,
 * due date, and the status last (so a ticket can be re-planned and resolved together).
 */
export async function updateTicket(
  deps: Deps,
  actor: Actor,
  number: string,
  raw: unknown,
): Promise<Answered> {
  const input = parseInput(S.UpdateTicket, raw);
  const plan: Step[] = [];
  if (input.department !== undefined) plan.push(steps.transferStep(actor, { department: input.department }));
  if (input.assignee !== undefined || input.team !== undefined) {
    plan.push(
      steps.assignStep(actor, {
        ...(input.assignee !== undefined ? { assignee: input.assignee } : {}),
        ...(input.team !== undefined ? { team: input.team } : {}),
      }),
    );
  }
  if (input.priority !== undefined) plan.push(steps.priorityStep(actor, { priority: input.priority }));
  if (input.helpTopic !== undefined) plan.push(steps.helpTopicStep(actor, { helpTopic: input.helpTopic }));
  if (input.dueAt !== undefined) plan.push(steps.dueDateStep(actor, { dueAt: input.dueAt }));
  if (input.status !== undefined) {
    plan.push(
      steps.statusStep(actor, { status: input.status, ...(input.reason ? { reason: input.reason } : {}) }),
    );
  }
  const moved = input.department !== undefined || input.team !== undefined;
  if (moved && input.assignee === undefined) plan.push(steps.autoAssignStep());
  return mutateTicket(deps, actor, number, ...plan);
}

/** Deletes a ticket and, by cascade, its thread, events and attachments rows; needs the delete permission. */
export async function deleteTicket(deps: Deps, actor: Actor, number: string): Promise<void> {
  deps.reference?.invalidate();
  await inTransaction(deps, async (trx) => {
    const ticket = await loadVisibleTicket(trx, actor, number);
    if (!can(actor, ticket, 'delete')) throw new AppError('forbidden', 403, 'You may not delete this ticket');
    await forgetFacts(trx, ticket.id);
    await deleteTicketRow(trx, ticket.id);
    await retireNumber(trx, ticket.number, deps.clock.now());
  });
  // Other instances learn that numbers are retired when their snapshot expires (5 s).
  deps.reference?.invalidate();
}
