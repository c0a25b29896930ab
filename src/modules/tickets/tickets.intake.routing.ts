import type { Db } from '../../db/database.ts';
import type { Customer, TicketSource } from '../../db/schema.ts';
import { loadAgentActor } from '../auth/actors.service.ts';
import type { TxContext } from '../../lib/deps.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { routeIntake, RuleRejected, subjectOf } from '../routing/routing.service.ts';
import { pickAgent, type AssignScope } from '../routing/routing.assignment.service.ts';
import type { NewJob } from '../outbox/outbox.registry.ts';
import { insertEntry } from '../threads/threads.repository.ts';
import { can } from './tickets.policy.ts';
import { addTags } from './tickets.repository.ts';
import type { CreateTicket } from '../../contract/tickets.contract.ts';

type Input = ReturnType<typeof CreateTicket.parse>;

export interface Routed {
  input: Input;
  slaPlanId: number | null;
  statusId: number | null;
  agentId: number | null;
  tags: string[];
  replies: string[];
  matched: string[];
}

/**
 * The intake rules' say on a new ticket: their department, topic, priority,
 * team and collaborators go into the input (so the topic's defaults fill only
 * what neither the caller nor a rule chose); the rest is returned beside it.
 * A rejecting rule throws RuleRejected, which the channel records.
 */
export function routeNewTicket(
  { ref, now, log }: Pick<TxContext, 'ref' | 'now' | 'log'>,
  input: Input,
  requester: Pick<Customer, 'email' | 'organization_id'>,
  recipients: string[] = [],
): Routed {
  const subject = () => {
    const topic = input.helpTopic === undefined ? undefined : ref.topic(input.helpTopic);
    const priorityRef = input.priority ?? topic?.priority_id ?? undefined;
    const priority = priorityRef === undefined ? ref.defaultPriority() : ref.priority(priorityRef);
    return subjectOf({
      source: input.source as TicketSource,
      from: requester.email,
      to: recipients,
      subject: input.subject,
      body: input.body,
      format: input.format,
      helpTopicId: topic?.id ?? null,
      organizationId: requester.organization_id,
      priorityId: priority?.id ?? null,
      fields: input.fields ?? {},
      at: now,
    });
  };
  // A stored rule that no longer compiles is skipped and logged on the use case's logger.
  const out = routeIntake(ref, subject, log);
  if (out.matched.length === 0)
    return { input, slaPlanId: null, statusId: null, agentId: null, tags: [], replies: [], matched: [] };
  if (out.rejected) throw new RuleRejected(out.rejected);
  const next: Input = { ...input };
  // A rule naming something deleted since it was saved is skipped for that field.
  const known = <T>(id: number | undefined, find: (id: number) => T | undefined) =>
    id !== undefined && find(id) !== undefined ? id : undefined;
  next.department = known(out.departmentId, (id) => ref.department(id)) ?? input.department;
  next.helpTopic = known(out.helpTopicId, (id) => ref.topic(id)) ?? input.helpTopic;
  next.priority = known(out.priorityId, (id) => ref.priority(id)) ?? input.priority;
  next.team = known(out.teamId, (id) => ref.team(id)) ?? input.team;
  if (out.collaborators.length)
    next.collaborators = [...(input.collaborators ?? []), ...out.collaborators.map((email) => ({ email }))];
  // A rule's status may hold a new ticket open or pending, never close it on arrival.
  const status = out.statusId === undefined ? undefined : ref.statusById(out.statusId);
  return {
    input: next,
    slaPlanId: known(out.slaPlanId, (id) => ref.slaPlan(id)) ?? null,
    statusId: status && (status.state === 'open' || status.state === 'pending') ? status.id : null,
    agentId: out.agentId ?? null,
    tags: out.tags,
    replies: out.replies.map((r) => r.body),
    matched: out.matched.map((m) => m.name),
  };
}

/**
 * Who gets a new ticket nobody named: a rule's agent when they can reach the
 * ticket (a rule naming someone without access is ignored, not fatal), else
 * the department's or team's automatic assignment.
 */
export async function assigneeForNew(
  trx: Db,
  ref: ReferenceSnapshot,
  scope: AssignScope,
  ruleAgentId: number | null,
  now: number,
): Promise<{ id: number | null; auto: boolean }> {
  if (ruleAgentId !== null) {
    // An agent the rule names who is gone or inactive is passed over: the pool picks instead.
    const agent = await loadAgentActor(trx, ruleAgentId).catch(() => undefined);
    const row = { ...scope, assignee_id: null, requester_id: 0, organization_id: null };
    if (agent && can(agent, row, 'view')) return { id: ruleAgentId, auto: false };
  }
  const picked = await pickAgent(trx, ref, scope, now);
  return { id: picked, auto: picked !== null };
}

/** The rules' tags and automatic replies on the new ticket; returns the reply mails to send. */
export async function writeRuleExtras(
  trx: Db,
  ticketId: number,
  routed: Routed,
  now: number,
): Promise<NewJob[]> {
  await addTags(trx, ticketId, routed.tags);
  const jobs: NewJob[] = [];
  for (const body of routed.replies) {
    // Sent by the desk, not an agent: it does not stop the first-response clock.
    const entry = await insertEntry(trx, {
      ticketId,
      kind: 'reply',
      body,
      format: 'text',
      source: 'system',
      now,
    });
    jobs.push({ type: 'mail.reply', payload: { ticketId, entryId: entry.id } });
  }
  return jobs;
}
