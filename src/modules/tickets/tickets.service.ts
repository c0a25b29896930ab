import type { Db } from '../../db/database.ts';
import type { Ticket } from '../../db/schema.ts';
import type { Deps } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import { loadAgentActor, type Actor } from '../auth/auth.actor.ts';
import * as dir from '../directory/directory.repository.ts';
import {
  lifecycleError,
  mutateTicket,
  slaDueFor,
  transition,
  type Change,
  type MutationContext,
} from './tickets.mutation.ts';
import { can } from './tickets.policy.ts';
import * as S from './tickets.schemas.ts';
import { decide, type Action } from './tickets.lifecycle.ts';

// The ticket actions other than replies and notes (see threads.service.ts).
// Each is one call to mutateTicket: one transaction, one event per change.
// Re-planning a ticket (priority, help topic, due date) takes the department's
// assign permission: team collaborators may reply and add notes, not re-plan.

/** Assign to an agent and/or a team; null clears. An agent may always take an unassigned ticket they can see. */
export async function assign(deps: Deps, actor: Actor, number: string, raw: S.AssignInput): Promise<Ticket> {
  const input = parseInput(S.Assign, raw);
  return mutateTicket(deps, actor, number, null, async ({ trx, ticket }) => {
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

    let assigneeId = ticket.assignee_id;
    if (input.assignee !== undefined) {
      const agent = input.assignee === null ? null : await dir.findAgent(trx, input.assignee);
      if (agent === undefined || (agent && !agent.is_active)) throw notFound('agent');
      if (agent) {
        const target = await loadAgentActor(trx, agent.id);
        if (!can(target, { ...ticket, team_id: teamId, assignee_id: null }, 'view')) {
          throw new AppError(
            'assignee_no_access',
            422,
            `${agent.name} has no access to this ticket's department or team`,
          );
        }
      }
      assigneeId = agent?.id ?? null;
    }
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
  });
}

/** Whether `ref` names the acting agent; by id, email or name, like every other agent reference. */
const isSelf = async (trx: Db, actor: Actor, ref: S.AssignInput['assignee']) =>
  actor.kind === 'agent' &&
  ref !== undefined &&
  ref !== null &&
  (await dir.findAgent(trx, ref))?.id === actor.id;

/** Move to another department; an assignee without access there is unassigned. */
export async function transfer(deps: Deps, actor: Actor, number: string, raw: unknown): Promise<Ticket> {
  const input = parseInput(S.Transfer, raw);
  return mutateTicket(deps, actor, number, 'transfer', async ({ trx, ticket }) => {
    guardEditable(ticket, actor);
    const dept = await dir.findDepartment(trx, input.department);
    if (!dept) throw notFound('department');
    if (dept.id === ticket.department_id) return {};
    let assigneeId = ticket.assignee_id;
    if (assigneeId !== null) {
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
  });
}

export async function setPriority(deps: Deps, actor: Actor, number: string, raw: unknown): Promise<Ticket> {
  const input = parseInput(S.SetPriority, raw);
  return mutateTicket(deps, actor, number, 'assign', async ({ trx, ref, ticket }) => {
    guardEditable(ticket, actor);
    const priority = await dir.findPriority(trx, input.priority);
    if (!priority) throw notFound('priority');
    if (priority.id === ticket.priority_id) return {};
    const next = { ...ticket, priority_id: priority.id, priority_level: priority.level };
    return {
      patch: {
        priority_id: priority.id,
        priority_level: priority.level,
        sla_due_at: ticket.state === 'open' ? slaDueFor(ref, next) : ticket.sla_due_at,
      },
      events: [{ type: 'priority_changed', data: { before: ticket.priority_id, after: priority.id } }],
    };
  });
}

export async function setHelpTopic(deps: Deps, actor: Actor, number: string, raw: unknown): Promise<Ticket> {
  const input = parseInput(S.SetHelpTopic, raw);
  return mutateTicket(deps, actor, number, 'assign', async ({ trx, ticket }) => {
    guardEditable(ticket, actor);
    const topic = input.helpTopic === null ? null : await dir.findHelpTopic(trx, input.helpTopic);
    if (topic === undefined) throw notFound('help_topic');
    const after = topic?.id ?? null;
    if (after === ticket.help_topic_id) return {};
    return {
      patch: { help_topic_id: after },
      events: [{ type: 'help_topic_changed', data: { before: ticket.help_topic_id, after } }],
    };
  });
}

export async function setDueDate(deps: Deps, actor: Actor, number: string, raw: unknown): Promise<Ticket> {
  const input = parseInput(S.SetDueDate, raw);
  return mutateTicket(deps, actor, number, 'assign', async ({ ticket }) => {
    guardEditable(ticket, actor);
    if (input.dueAt === ticket.due_at) return {};
    return {
      patch: { due_at: input.dueAt },
      events: [{ type: 'due_date_changed', data: { before: ticket.due_at, after: input.dueAt } }],
    };
  });
}

/** Choose any status by name or id, including admin-defined ones; closing needs a reason. */
export async function setStatus(deps: Deps, actor: Actor, number: string, raw: unknown): Promise<Ticket> {
  const input = parseInput(S.SetStatus, raw);
  return mutateTicket(deps, actor, number, 'reply', async (ctx) => {
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
    return stateChange(
      ctx,
      actor,
      { type: 'set_status', state: status.state, ...(input.reason ? { reason: input.reason } : {}) },
      input.reason,
      status,
    );
  });
}

export async function resolve(deps: Deps, actor: Actor, number: string, raw: unknown = {}): Promise<Ticket> {
  const input = parseInput(S.Reason, raw);
  return mutateTicket(deps, actor, number, 'close', (ctx) =>
    stateChange(ctx, actor, { type: 'resolve' }, input.reason),
  );
}

export async function close(deps: Deps, actor: Actor, number: string, raw: unknown): Promise<Ticket> {
  const input = parseInput(S.Reason, raw);
  const action: Action = { type: 'close', ...(input.reason ? { reason: input.reason } : {}) };
  return mutateTicket(deps, actor, number, 'close', (ctx) => stateChange(ctx, actor, action, input.reason));
}

/** Agents reopen with the close permission; customers within the reopen window. */
export async function reopen(deps: Deps, actor: Actor, number: string, raw: unknown = {}): Promise<Ticket> {
  const input = parseInput(S.Reason, raw);
  const permission = actor.kind === 'customer' ? null : 'close';
  return mutateTicket(deps, actor, number, permission, (ctx) =>
    stateChange(ctx, actor, { type: 'reopen' }, input.reason),
  );
}

/** The customer confirms the solution: the resolved ticket closes. */
export async function confirm(deps: Deps, actor: Actor, number: string): Promise<Ticket> {
  return mutateTicket(deps, actor, number, null, (ctx) =>
    stateChange(ctx, actor, { type: 'confirm' }, 'confirmed by the customer'),
  );
}

/** The scheduler closes a resolved ticket whose customer stayed silent. */
export async function autoClose(deps: Deps, actor: Actor, number: string): Promise<Ticket> {
  return mutateTicket(deps, actor, number, null, (ctx) =>
    stateChange(ctx, actor, { type: 'auto_close' }, 'no reply from the customer'),
  );
}

async function stateChange(
  { ref, ticket, now }: MutationContext,
  actor: Actor,
  action: Action,
  reason: string | undefined,
  explicit?: Parameters<typeof transition>[5],
): Promise<Change> {
  const t = transition(ref, ticket, action, actor, now, explicit);
  const type = t.reopened
    ? 'reopened'
    : t.after.state === 'resolved' && t.before.state !== 'resolved'
      ? 'resolved'
      : t.after.state === 'closed'
        ? 'closed'
        : 'status_changed';
  const jobs = [];
  if (type === 'resolved') jobs.push({ type: 'mail.resolved', payload: { ticketId: ticket.id } });
  if (type === 'closed') jobs.push({ type: 'mail.closed', payload: { ticketId: ticket.id } });
  if (type === 'reopened') jobs.push({ type: 'notify.reopened', payload: { ticketId: ticket.id } });
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
