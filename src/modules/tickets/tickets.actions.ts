import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Status, Ticket } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Actor, CustomerActor } from '../auth/auth.actor.ts';
import { loadAgentActor } from '../auth/actors.service.ts';
import * as dir from '../directory/directory.repository.ts';
import type { NewJob } from '../outbox/outbox.registry.ts';
import { pickAgent } from '../routing/routing.assignment.service.ts';
import { surveyOnLeave } from '../surveys/surveys.service.ts';
import { insertEntry } from '../threads/threads.repository.ts';
import { decide, type Action } from './tickets.lifecycle.ts';
import {
  lifecycleError,
  transition,
  type Change,
  type MutationContext,
  type Step,
} from './tickets.change.service.ts';
import { can } from './tickets.policy.ts';
import type * as S from '../../contract/tickets.contract.ts';

// The ticket actions other than replies and notes, each as a Step: the
// permission it needs and the change it decides. tickets.service.ts runs one
// step per call; a PATCH of several fields runs several in one transaction.
// Re-planning a ticket (priority, help topic, due date) takes the department's
// assign permission: team collaborators may reply and add notes, not re-plan.

type In<T extends z.ZodType> = z.output<T>;

/** Assign to an agent and/or a team; null clears. An agent may always take an unassigned ticket they can see. */
export const assignStep = (actor: Actor, input: In<typeof S.Assign>): Step => ({
  permission: null,
  decide: async ({ trx, ticket }) => {
    const takingFreeTicket =
      actor.kind === 'agent' &&
      ticket.assignee_id === null &&
      input.team === undefined &&
      (await isSelf(trx, actor, input.assignee));
    if (!takingFreeTicket && !can(actor, ticket, 'assign'))
      throw new AppError('forbidden', 403, 'You may not assign this ticket');
    guardEditable(ticket, actor);
    const team =
      input.team === undefined ? undefined : input.team === null ? null : await dir.findTeam(trx, input.team);
    if (team === undefined && input.team !== undefined) throw notFound('team');
    const teamId = team === undefined ? ticket.team_id : (team?.id ?? null);
    const assigneeId =
      input.assignee === undefined
        ? ticket.assignee_id
        : await assigneeFor(trx, input.assignee, { ...ticket, team_id: teamId });
    const change: Change = { patch: { assignee_id: assigneeId, team_id: teamId }, events: [], jobs: [] };
    if (assigneeId !== ticket.assignee_id) {
      change.events!.push({ type: 'assigned', data: { before: ticket.assignee_id, after: assigneeId } });
      if (assigneeId !== null)
        change.jobs!.push({ type: 'notify.assigned', payload: { ticketId: ticket.id, agentId: assigneeId } });
    }
    if (teamId !== ticket.team_id) {
      change.events!.push({ type: 'assigned', data: { team: { before: ticket.team_id, after: teamId } } });
      if (teamId !== null)
        change.jobs!.push({ type: 'notify.team_assigned', payload: { ticketId: ticket.id, teamId } });
    }
    return change;
  },
});

/** Automatic assignment of an unassigned open ticket (routing.assignment.service.ts picks the agent); nothing when nobody is free. */
export const autoAssignStep = (): Step => ({
  permission: null,
  decide: async ({ trx, ref, ticket, now }) => {
    if (ticket.assignee_id !== null || ticket.state !== 'open') return {};
    const agentId = await pickAgent(trx, ref, ticket, now);
    if (agentId === null) return {};
    return {
      patch: { assignee_id: agentId },
      events: [{ type: 'assigned', data: { before: null, after: agentId, auto: true } }],
      jobs: [{ type: 'notify.assigned', payload: { ticketId: ticket.id, agentId } }],
    };
  },
});

/** One reminder to the customer per wait: none again until an agent has answered after it. */
export const reminderStep = (): Step => ({
  permission: null,
  decide: async ({ ticket, now }) => {
    const since = ticket.last_response_at ?? ticket.created_at;
    if (ticket.state !== 'pending' || (ticket.reminded_at !== null && ticket.reminded_at >= since)) return {};
    return {
      patch: { reminded_at: now },
      events: [{ type: 'reminder_sent', data: {} }],
      jobs: [{ type: 'mail.reminder', payload: { ticketId: ticket.id } }],
    };
  },
});

/** The customer's reason for reopening, as their message on the thread (after the reopen step). */
export const reopenCommentStep = (actor: CustomerActor, comment: string): Step => ({
  permission: null,
  decide: async ({ trx, ticket, now }) => {
    const entry = await insertEntry(trx, {
      ticketId: ticket.id,
      kind: 'message',
      authorCustomerId: actor.id,
      body: comment,
      format: 'text',
      source: 'web',
      now,
    });
    return {
      patch: { last_message_at: now },
      events: [{ type: 'customer_replied', data: { entry: entry.id } }],
      jobs: [{ type: 'notify.customer_replied', payload: { ticketId: ticket.id, entryId: entry.id } }],
    };
  },
});

/** The agent named, who must reach the ticket through its department or team; null unassigns. */
async function assigneeFor(
  trx: Db,
  idOrName: S.AssignInput['assignee'],
  ticket: Ticket,
): Promise<number | null> {
  if (idOrName === null || idOrName === undefined) return null;
  const agent = await dir.findAgent(trx, idOrName);
  if (!agent || !agent.is_active) throw notFound('agent');
  const target = await loadAgentActor(trx, agent.id);
  if (!can(target, { ...ticket, assignee_id: null }, 'view')) {
    throw new AppError(
      'assignee_no_access',
      422,
      `${agent.name} has no access to this ticket's department or team`,
    );
  }
  return agent.id;
}

/** Whether `idOrName` names the acting agent; by id, email or name, like every other agent reference. */
const isSelf = async (trx: Db, actor: Actor, idOrName: S.AssignInput['assignee']) =>
  actor.kind === 'agent' &&
  idOrName !== undefined &&
  idOrName !== null &&
  (await dir.findAgent(trx, idOrName))?.id === actor.id;

/** Move to another department; an assignee without access there is unassigned. */
export const transferStep = (actor: Actor, input: In<typeof S.Transfer>): Step => ({
  permission: 'transfer',
  decide: async ({ trx, ticket }) => {
    guardEditable(ticket, actor);
    const dept = await dir.findDepartment(trx, input.department);
    if (!dept) throw notFound('department');
    if (dept.id === ticket.department_id) return {};
    let assigneeId = ticket.assignee_id;
    if (assigneeId !== null) {
      // An assignee who is gone or inactive does not keep the ticket.
      const assignee = await loadAgentActor(trx, assigneeId).catch(() => null);
      if (!assignee || !can(assignee, { ...ticket, department_id: dept.id, assignee_id: null }, 'view'))
        assigneeId = null;
    }
    return {
      patch: { department_id: dept.id, assignee_id: assigneeId },
      events: [
        {
          type: 'transferred',
          data: { before: ticket.department_id, after: dept.id, note: input.note ?? null },
        },
        ...(assigneeId !== ticket.assignee_id
          ? [{ type: 'assigned' as const, data: { before: ticket.assignee_id, after: null } }]
          : []),
      ],
      jobs: [{ type: 'notify.transferred', payload: { ticketId: ticket.id, departmentId: dept.id } }],
    };
  },
});

export const priorityStep = (actor: Actor, input: In<typeof S.SetPriority>): Step => ({
  permission: 'assign',
  decide: async ({ trx, ticket }) => {
    guardEditable(ticket, actor);
    const priority = await dir.findPriority(trx, input.priority);
    if (!priority) throw notFound('priority');
    if (priority.id === ticket.priority_id) return {};
    return {
      patch: { priority_id: priority.id, priority_level: priority.level },
      events: [{ type: 'priority_changed', data: { before: ticket.priority_id, after: priority.id } }],
    };
  },
});

export const helpTopicStep = (actor: Actor, input: In<typeof S.SetHelpTopic>): Step => ({
  permission: 'assign',
  decide: async ({ trx, ticket }) => {
    guardEditable(ticket, actor);
    const topic = input.helpTopic === null ? null : await dir.findHelpTopic(trx, input.helpTopic);
    if (topic === undefined) throw notFound('help_topic');
    const after = topic?.id ?? null;
    if (after === ticket.help_topic_id) return {};
    return {
      patch: { help_topic_id: after },
      events: [{ type: 'help_topic_changed', data: { before: ticket.help_topic_id, after } }],
    };
  },
});

export const dueDateStep = (actor: Actor, input: In<typeof S.SetDueDate>): Step => ({
  permission: 'assign',
  decide: async ({ ticket }) => {
    guardEditable(ticket, actor);
    if (input.dueAt === ticket.due_at) return {};
    return {
      patch: { due_at: input.dueAt },
      events: [{ type: 'due_date_changed', data: { before: ticket.due_at, after: input.dueAt } }],
    };
  },
});

/** Choose any status by name or id, including admin-defined ones; closing needs a reason. */
export const statusStep = (actor: Actor, input: In<typeof S.SetStatus>): Step => ({
  permission: 'reply',
  decide: async (ctx) => {
    const status = await dir.findStatus(ctx.trx, input.status);
    if (!status) throw notFound('status');
    if (status.id === ctx.ticket.status_id) return {};
    const leavingWork =
      status.state === 'resolved' ||
      status.state === 'closed' ||
      ctx.ticket.state === 'resolved' ||
      ctx.ticket.state === 'closed';
    if (leavingWork && !can(actor, ctx.ticket, 'close'))
      throw new AppError('forbidden', 403, 'You may not resolve, close or reopen this ticket');
    const action: Action = {
      type: 'set_status',
      state: status.state,
      ...(input.reason ? { reason: input.reason } : {}),
    };
    return stateChange(ctx, actor, action, input.reason, status);
  },
});

/** resolve, close, reopen, confirm and auto-close: a lifecycle action and the reason recorded with it. */
export const lifecycleStep = (
  actor: Actor,
  permission: Step['permission'],
  action: Action,
  reason: string | undefined,
): Step => ({ permission, decide: (ctx) => stateChange(ctx, actor, action, reason) });

async function stateChange(
  { trx, ref, ticket, now }: MutationContext,
  actor: Actor,
  action: Action,
  reason: string | undefined,
  explicit?: Status,
): Promise<Change> {
  const t = transition(ref, ticket, action, actor, now, explicit);
  const type = t.reopened
    ? 'reopened'
    : t.after.state === 'resolved' && t.before.state !== 'resolved'
      ? 'resolved'
      : t.after.state === 'closed'
        ? 'closed'
        : 'status_changed';
  const jobs: NewJob[] = [];
  if (type === 'resolved') jobs.push({ type: 'mail.resolved', payload: { ticketId: ticket.id } });
  if (type === 'closed') jobs.push({ type: 'mail.closed', payload: { ticketId: ticket.id } });
  if (type === 'reopened') jobs.push({ type: 'notify.reopened', payload: { ticketId: ticket.id } });
  // The satisfaction survey goes out in this same transaction (see docs/SURVEYS.md).
  if (type === 'resolved' || type === 'closed')
    jobs.push(...(await surveyOnLeave(trx, ref, ticket, type, now)));
  return {
    patch: t.patch,
    events: [
      { type, data: { before: t.before, after: t.after, reason: reason ?? null, action: action.type } },
    ],
    jobs,
  };
}

/** Field edits go through the lifecycle too: it forbids them on closed tickets. */
function guardEditable(ticket: Ticket, actor: Actor) {
  const t = {
    state: ticket.state,
    statusKey: null,
    resolvedAt: ticket.resolved_at,
    closedAt: ticket.closed_at,
  };
  const d = decide(t, { type: 'edit' }, actor.kind, 0, { reopenWindowMs: 0, autoCloseAfterMs: null });
  if (!d.ok) throw lifecycleError(d.code);
}
