import type { Db, Trx } from '../../db/database.ts';
import type { HelpTopic, Ticket } from '../../db/schema.ts';
import { inUseCase, referenceOf, type Deps, type TxContext } from '../../lib/deps.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { cleanBody } from '../../lib/sanitize.ts';
import { parseInput } from '../../lib/validate.ts';
import type { NewJob } from '../outbox/outbox.registry.ts';
import { enqueue } from '../outbox/outbox.service.ts';
import { SYSTEM, type Actor, type CustomerActor } from '../auth/auth.actor.ts';
import { writeAccessLink } from '../auth/access-links.service.ts';
import { loadAgentActor } from '../auth/actors.service.ts';
import { findOrCreateCustomer, getCustomerById } from '../directory/customers.repository.ts';
import * as dir from '../directory/directory.repository.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { prepareFiles } from '../attachments/attachments.service.ts';
import { recordAttachments, type StoredFile } from '../attachments/attachments.repository.ts';
import { touchReports } from '../reports/reports.refresh.service.ts';
import { insertEntry } from '../threads/threads.repository.ts';
import { recordEvents } from './tickets.events.repository.ts';
import { findClaimed, isUniqueViolation, type IdempotencyClaim } from './tickets.idempotency.ts';
import { claimKey, completeClaim } from './tickets.idempotency.repository.ts';
import { recordRejection, RuleRejected } from '../routing/routing.service.ts';
import { poolFor } from '../routing/routing.assignment.service.ts';
import { assigneeForNew, routeNewTicket, writeRuleExtras } from './tickets.intake.routing.ts';
import { slaFor } from './tickets.change.service.ts';
import { NO_CLOCKS } from '../sla/sla.clock.ts';
import { nextCandidate } from './tickets.numbers.ts';
import { can } from './tickets.policy.ts';
import {
  addCollaborators,
  findTicketById,
  insertTicketIfNumberFree,
  isRetired,
} from './tickets.repository.ts';
import { CreateTicket, type CreateTicketInput } from '../../contract/tickets.contract.ts';
import { prepareAnswer, type PreparedAnswer } from './tickets.answer.service.ts';

type Input = ReturnType<typeof CreateTicket.parse>;

/**
 * Opens a ticket from any channel. One transaction writes the requester (found
 * or created by email), the ticket with its number, the first message, an
 * optional note, collaborators, the 'created' event and the jobs it causes.
 */
export async function createTicket(deps: Deps, actor: Actor, raw: CreateTicketInput): Promise<Ticket> {
  return (await createTicketOnce(deps, actor, raw)).ticket;
}

/** A new ticket (or the one a replayed request made) and, when it was made now, its answer (tickets.answer.service.ts). */
export interface Opened {
  ticket: Ticket;
  replayed: boolean;
  /** null for a replayed request: nothing committed now, so nothing was read in a transaction. */
  answer: PreparedAnswer | null;
}

/**
 * createTicket with an optional Idempotency-Key claim (see tickets.idempotency.ts)
 * and `alsoWrite`, more rows that belong to a new ticket's transaction.
 */
export async function createTicketOnce(
  deps: Deps,
  actor: Actor,
  raw: CreateTicketInput,
  claim?: IdempotencyClaim,
  alsoWrite?: (trx: Trx, ticket: Ticket, now: number) => Promise<void>,
): Promise<Opened> {
  const input = parseInput(CreateTicket, raw);
  if (actor.kind === 'customer' && (input.assignee !== undefined || input.team !== undefined || input.note)) {
    throw new AppError('forbidden', 403, 'Customers cannot assign tickets or add internal notes');
  }
  if (actor.kind === 'customer') {
    // A signed-in customer opens tickets as themselves, whatever address the form carried.
    const me = await getCustomerById(deps.db, actor.id);
    input.requester = { email: me.email, name: me.name };
  }
  const prior = claim ? await findClaimed(deps.db, claim) : undefined;
  if (prior) return { ticket: prior, replayed: true, answer: null };
  const files = await prepareFiles(deps, input.attachments);
  try {
    return await inUseCase(deps, actor, async (tx) => {
      if (claim) await claimKey(tx.trx, claim, tx.now);
      const created = await openTicket(tx, input, files);
      if (claim) await completeClaim(tx.trx, claim, created.id);
      await alsoWrite?.(tx.trx, created, tx.now);
      return { ticket: created, replayed: false, answer: await prepareAnswer(tx, created) };
    });
  } catch (err) {
    if (err instanceof RuleRejected) await recordRejected(deps, err, input);
    const winner = claim && isUniqueViolation(err) ? await findClaimed(deps.db, claim) : undefined;
    if (winner) return { ticket: winner, replayed: true, answer: null };
    throw err;
  }
}

/** Fields only staff may set when opening a ticket. */
const STAFF_ONLY = [
  'assignee',
  'team',
  'note',
  'department',
  'collaborators',
  'dueAt',
  'linkedTicketId',
  'messageId',
] as const;

/**
 * The portal's intake: a signed-in customer, or an anonymous visitor (null)
 * who follows the ticket through a sign-in link mailed with it (written in the
 * ticket's transaction: no ticket without its link). Staff-only fields are
 * refused, and the portal offers public help topics only: an internal one is
 * as good as missing. `viewer` is who the answer is presented to.
 */
export async function openPortalTicket(
  deps: Deps,
  customer: CustomerActor | null,
  raw: CreateTicketInput,
  claim?: IdempotencyClaim,
): Promise<Opened & { viewer: CustomerActor }> {
  const used = STAFF_ONLY.filter((k) => raw[k] !== undefined);
  if (used.length) throw new AppError('forbidden', 403, `Only staff may set ${used.join(', ')}`);
  const topic = raw.helpTopic !== undefined ? (await referenceOf(deps)).topic(raw.helpTopic) : undefined;
  if (topic && topic.is_public !== 1) throw notFound('help_topic');
  const input = { ...raw, source: 'web' as const };
  const link = customer === null ? writeAccessLink : undefined;
  const opened = await createTicketOnce(deps, customer ?? SYSTEM, input, claim, link);
  const visitor: CustomerActor = {
    kind: 'customer',
    id: opened.ticket.requester_id,
    organizationId: null,
    seesOrganization: false,
  };
  return { ...opened, viewer: customer ?? visitor };
}

/** What an admin needs to judge a refused request (attachments are not kept). */
const recordRejected = (deps: Deps, err: RuleRejected, input: Input) =>
  recordRejection(
    deps.db,
    err,
    {
      channel: input.source,
      requester: input.requester.email,
      subject: input.subject,
      payload: {
        requester: input.requester,
        subject: input.subject,
        body: input.body.slice(0, 64 * 1024),
        fields: input.fields ?? {},
      },
    },
    deps.clock.now(),
  );

/** The transaction body, reused where a ticket is opened inside a larger change (a reply after the reopen window). */
export async function openTicket(
  tx: TxContext,
  rawInput: Input,
  files: StoredFile[] = [],
  recipients: string[] = [],
): Promise<Ticket> {
  const { trx, ref, now, actor } = tx;
  const limits = ref.settings.intake;
  if (rawInput.subject.length > limits.maxSubjectLength)
    throw invalid('subject_too_long', `Subject is longer than ${limits.maxSubjectLength} characters`);
  if (rawInput.body.length > limits.maxBodyLength)
    throw invalid('body_too_long', `Message is longer than ${limits.maxBodyLength} characters`);

  const requester = await findOrCreateCustomer(trx, rawInput.requester, now);
  if (requester.is_banned) throw new AppError('requester_banned', 403, 'This address may not open tickets');
  const routed = routeNewTicket(tx, rawInput, requester, recipients);
  const input = routed.input;
  const defaults = await resolveDefaults(trx, ref, input);
  const slaPlanId = routed.slaPlanId ?? defaults.slaPlanId;
  const statusId = routed.statusId ?? defaults.statusId;
  const state = ref.statusById(statusId)?.state ?? 'open';
  const scope = { department_id: defaults.departmentId, team_id: defaults.teamId };
  const assignee =
    defaults.assigneeId !== null || (routed.agentId === null && poolFor(ref, scope) === null)
      ? { id: defaults.assigneeId, auto: false }
      : await assigneeForNew(trx, ref, scope, routed.agentId, now);

  const row = {
    subject: input.subject,
    source: input.source,
    requester_id: requester.id,
    organization_id: requester.organization_id,
    department_id: defaults.departmentId,
    help_topic_id: defaults.topic?.id ?? null,
    priority_id: defaults.priority.id,
    priority_level: defaults.priority.level,
    status_id: statusId,
    state,
    team_id: defaults.teamId,
    assignee_id: assignee.id,
    sla_plan_id: slaPlanId,
    due_at: input.dueAt ?? null,
    last_message_at: now,
    linked_ticket_id: input.linkedTicketId ?? null,
    fields: input.fields ? JSON.stringify(input.fields) : null,
    created_at: now,
    updated_at: now,
  };
  // Only the clocks that run: the columns' defaults (null, 0) need no parameters.
  const sla = Object.entries(slaFor(ref, null, { ...NO_CLOCKS, ...row }, now)).filter(([, v]) => v);
  const ticket = await insertWithNumber(trx, ref, { ...row, ...Object.fromEntries(sla) });

  const author = actor.kind === 'agent' ? actor.id : null;
  const message = await insertEntry(trx, {
    ticketId: ticket.id,
    kind: 'message',
    authorCustomerId: requester.id,
    body: cleanBody(input.body, input.format),
    format: input.format,
    source: input.source,
    messageId: input.messageId ?? null,
    now,
  });
  await recordAttachments(trx, ticket.id, message.id, files, now);
  // A new ticket counts in the reports; its refresh is queued before the intake's other jobs.
  await touchReports(trx, [ticket.id], now);
  if (input.note) {
    await insertEntry(trx, {
      ticketId: ticket.id,
      kind: 'note',
      authorAgentId: author,
      body: input.note,
      format: 'text',
      source: input.source,
      now,
    });
  }
  const collaboratorIds: number[] = [];
  for (const person of input.collaborators ?? []) {
    const c = await findOrCreateCustomer(trx, person, now);
    if (c.id !== requester.id) collaboratorIds.push(c.id);
  }
  await addCollaborators(trx, ticket.id, collaboratorIds, now);
  const ruleJobs = routed.matched.length ? await writeRuleExtras(trx, ticket.id, routed, now) : [];

  await recordEvents(trx, [
    {
      ticketId: ticket.id,
      type: 'created',
      actor,
      now,
      data: {
        source: input.source,
        department: defaults.departmentId,
        priority: defaults.priority.id,
        helpTopic: defaults.topic?.id ?? null,
        team: defaults.teamId,
        assignee: assignee.id,
        ...(assignee.auto ? { autoAssigned: true } : {}),
        ...(routed.matched.length ? { rules: routed.matched } : {}),
        ...(input.linkedTicketId ? { linkedTicket: input.linkedTicketId } : {}),
      },
    },
  ]);
  await enqueue(trx, now, [...intakeJobs(ticket, input, defaults.topic), ...ruleJobs]);
  return ticket;
}

function intakeJobs(ticket: Ticket, input: Input, topic: HelpTopic | undefined): NewJob[] {
  const jobs: NewJob[] = [];
  const topicAllows = topic === undefined || topic.auto_response === 1;
  if (input.autorespond && topicAllows)
    jobs.push({ type: 'mail.acknowledgement', payload: { ticketId: ticket.id } });
  if (input.alert) jobs.push({ type: 'notify.new_ticket', payload: { ticketId: ticket.id } });
  if (ticket.assignee_id !== null) {
    jobs.push({ type: 'notify.assigned', payload: { ticketId: ticket.id, agentId: ticket.assignee_id } });
  }
  return jobs;
}

/** Explicit choices win; then the help topic's defaults; then the department's; then the desk's. */
async function resolveDefaults(trx: Db, ref: ReferenceSnapshot, input: Input) {
  const topic = input.helpTopic !== undefined ? ref.topic(input.helpTopic) : undefined;
  if (input.helpTopic !== undefined && !topic) throw notFound('help_topic');

  const deptRef = input.department ?? topic?.department_id ?? undefined;
  const department = deptRef !== undefined ? ref.department(deptRef) : ref.defaultDepartment();
  if (!department && deptRef === undefined)
    throw notConfigured('No department is set up, so no ticket can be opened; an admin must create one');
  if (!department) throw notFound('department');

  const prioRef = input.priority ?? topic?.priority_id ?? undefined;
  const priority = prioRef !== undefined ? ref.priority(prioRef) : ref.defaultPriority();
  if (!priority) throw notFound('priority');

  const teamRef = input.team ?? topic?.team_id ?? undefined;
  const team = teamRef !== undefined ? ref.team(teamRef) : undefined;
  if (teamRef !== undefined && !team) throw notFound('team');

  const assignee = input.assignee !== undefined ? await dir.findAgent(trx, input.assignee) : undefined;
  if (input.assignee !== undefined && (!assignee || !assignee.is_active)) throw notFound('agent');
  // The same rule as assign(): the assignee must reach the ticket through its department or team.
  if (assignee) {
    const scope = {
      department_id: department.id,
      team_id: team?.id ?? null,
      assignee_id: null,
      requester_id: 0,
      organization_id: null,
    };
    if (!can(await loadAgentActor(trx, assignee.id), scope, 'view')) {
      throw new AppError(
        'assignee_no_access',
        422,
        `${assignee.name} has no access to this ticket's department or team`,
      );
    }
  }
  if (input.linkedTicketId !== undefined && !(await findTicketById(trx, input.linkedTicketId)))
    throw notFound('linked_ticket');

  const slaId = topic?.sla_plan_id ?? department.sla_plan_id;
  const slaRow = slaId !== null ? ref.slaPlan(slaId) : undefined;
  const status = ref.statusByKey('open');
  if (!status) throw notConfigured('The system status "open" is missing; an admin must restore it');

  return {
    topic,
    departmentId: department.id,
    priority,
    teamId: team?.id ?? null,
    assigneeId: assignee?.id ?? null,
    slaPlanId: slaRow?.id ?? null,
    statusId: status.id,
  };
}

/** The desk lacks what every ticket needs: the operator's to fix, not the client's (and never a 500). */
const notConfigured = (message: string) => new AppError('not_configured', 503, message);

/** Draws numbers until one is free: sequences clash only after an admin changes the format, random ones rarely. */
async function insertWithNumber(
  trx: Db,
  ref: ReferenceSnapshot,
  row: Omit<Parameters<typeof insertTicketIfNumberFree>[1], 'number'>,
) {
  const format = ref.settings.ticket_number;
  for (let attempt = 0; attempt < 20; attempt++) {
    const number = await nextCandidate(trx, format);
    // A deleted ticket's number stays retired: links and mails may still name it.
    // (Checked only once a ticket was ever deleted; the delete drops this process's snapshot.)
    if (ref.hasRetiredNumbers && (await isRetired(trx, number))) continue;
    const ticket = await insertTicketIfNumberFree(trx, { ...row, number });
    if (ticket) return ticket;
  }
  throw new AppError(
    'ticket_number_exhausted',
    503,
    'Could not find a free ticket number; widen the number format',
  );
}
