import type { TxContext } from '../../lib/deps.ts';
import type { Ticket, TicketSource } from '../../db/schema.ts';
import { SYSTEM } from '../auth/auth.actor.ts';
import { addTags } from '../tickets/tickets.repository.ts';
import { routeReply, subjectOf } from '../routing/routing.service.ts';
import { applySteps, type Step } from '../tickets/tickets.change.service.ts';
import { assignStep, priorityStep, statusStep, transferStep } from '../tickets/tickets.actions.ts';

// Rules marked "also on customer replies" run after a customer's message is
// stored, in its transaction, as the system. On a reply they re-plan only:
// department, priority, team, agent, status and tags. A reply is never
// rejected (the conversation exists) and gets no rule reply (no auto-answer loops).

export async function applyReplyRules(
  tx: TxContext,
  ticket: Ticket,
  m: { from: string; body: string; format: 'text' | 'html'; source: TicketSource },
): Promise<Ticket> {
  const { ref, now } = tx;
  // A stored rule that no longer compiles is skipped and logged on the use case's logger.
  const out = routeReply(
    ref,
    () =>
      subjectOf({
        source: m.source,
        from: m.from,
        subject: ticket.subject,
        body: m.body,
        format: m.format,
        helpTopicId: ticket.help_topic_id,
        organizationId: ticket.organization_id,
        priorityId: ticket.priority_id,
        fields: ticket.fields ? (JSON.parse(ticket.fields) as Record<string, string>) : {},
        at: now,
      }),
    tx.log,
  );
  if (out.matched.length === 0) return ticket;
  const steps: Step[] = [];
  if (
    out.departmentId !== undefined &&
    ref.department(out.departmentId) &&
    out.departmentId !== ticket.department_id
  )
    steps.push(transferStep(SYSTEM, { department: out.departmentId }));
  if (out.priorityId !== undefined && ref.priority(out.priorityId))
    steps.push(priorityStep(SYSTEM, { priority: out.priorityId }));
  if (out.teamId !== undefined && ref.team(out.teamId)) steps.push(assignStep(SYSTEM, { team: out.teamId }));
  if (out.agentId !== undefined) steps.push(assignStep(SYSTEM, { assignee: out.agentId }));
  const status = out.statusId === undefined ? undefined : ref.statusById(out.statusId);
  if (status && (status.state === 'open' || status.state === 'pending'))
    steps.push(statusStep(SYSTEM, { status: status.id }));
  if (out.tags.length) await addTags(tx.trx, ticket.id, out.tags);
  // The customer's message has queued the ticket's report refresh already.
  return (await applySteps({ ...tx, actor: SYSTEM }, ticket, steps, true)).ticket;
}
