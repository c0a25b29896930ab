import type { ThreadEntry, Ticket } from '../../db/schema.ts';
import { inTransactionWithRef, type Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { cleanBody } from '../../lib/sanitize.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { prepareFiles, type StoredFile } from '../attachments/attachments.service.ts';
import { openTicket } from '../tickets/tickets.intake.service.ts';
import { applyChange, loadVisibleTicket, transition, type Change } from '../tickets/tickets.mutation.ts';
import { can } from '../tickets/tickets.policy.ts';
import { prepareAnswer } from '../tickets/tickets.answer.ts';
import {
  CustomerMessage,
  PostNote,
  PostReply,
  type CustomerMessageInput,
  type PostNoteInput,
  type PostReplyInput,
} from '../../contract/tickets.contract.ts';
import { recordRejection, RuleRejected } from '../routing/routing.service.ts';
import { applyReplyRules } from './threads.reply-rules.ts';
import { ENTRY_COLUMNS, insertEntry } from './threads.repository.ts';

export interface Posted {
  entry: ThreadEntry;
  ticket: Ticket;
}

/** The answer's names and files are read before the commit (see tickets.answer.ts). */
const withAnswer = async (trx: Trx, ref: Ref, posted: Posted): Promise<Posted> => {
  await prepareAnswer(trx, ref, posted.ticket, posted.entry);
  return posted;
};

/** An agent's reply to the customer: sent by mail after commit; may set the status on send (e.g. resolve). */
export async function postReply(
  deps: Deps,
  actor: Actor,
  number: string,
  raw: PostReplyInput,
): Promise<Posted> {
  const input = parseInput(PostReply, raw);
  const files = await prepareFiles(deps, input.attachments);
  return inTransactionWithRef(deps, async (trx, ref) =>
    withAnswer(trx, ref, await replyIn(trx, ref, deps.clock.now(), actor, number, input, files)),
  );
}

/** Where an entry came from when not the web/API (an agent answering by email). */
export interface Via {
  source: string;
  messageId?: string | null;
}

type Trx = Parameters<typeof openTicket>[0];
type Ref = Parameters<typeof openTicket>[1];

/** postReply's transaction body, for callers that record more in the same transaction (email intake). */
export async function replyIn(
  trx: Trx,
  ref: Ref,
  now: number,
  actor: Actor,
  number: string,
  input: ReturnType<typeof PostReply.parse>,
  files: StoredFile[],
  via: Via = { source: 'web' },
): Promise<Posted> {
  const ticket = await loadVisibleTicket(trx, actor, number);
  if (!can(actor, ticket, 'reply')) throw new AppError('forbidden', 403, 'You may not reply on this ticket');
  if (input.setState === 'resolved' && !can(actor, ticket, 'close'))
    throw new AppError('forbidden', 403, 'You may not resolve this ticket');
  const t = transition(
    ref,
    ticket,
    { type: 'agent_reply', ...(input.setState ? { setState: input.setState } : {}) },
    actor,
    now,
  );
  const entry = await insertStaffEntry(trx, ticket.id, 'reply', actor, input, files, via, now);
  const change: Change = {
    patch: { ...t.patch, first_response_at: ticket.first_response_at ?? now, last_response_at: now },
    events: [{ type: 'replied', data: { entry: entry.id } }],
    jobs: [{ type: 'mail.reply', payload: { ticketId: ticket.id, entryId: entry.id } }],
  };
  if (t.after.status !== t.before.status || t.after.state !== t.before.state) {
    const type = t.reopened ? 'reopened' : t.after.state === 'resolved' ? 'resolved' : 'status_changed';
    change.events!.push({ type, data: { before: t.before, after: t.after, action: 'agent_reply' } });
  }
  return { entry, ticket: await applyChange(trx, ref, actor, ticket, change, now) };
}

/** A reply or note by staff (or the system), with its files; the body sanitized when it is HTML. */
const insertStaffEntry = (
  trx: Trx,
  ticketId: number,
  kind: 'reply' | 'note',
  actor: Actor,
  input: { body: string; format: 'text' | 'html' },
  files: StoredFile[],
  via: Via,
  now: number,
) =>
  insertEntry(trx, {
    ticketId,
    kind,
    authorAgentId: actor.kind === 'agent' ? actor.id : null,
    body: cleanBody(input.body, input.format),
    format: input.format,
    source: via.source,
    messageId: via.messageId ?? null,
    now,
    files,
  });

/** An internal note: never sent, never shown to customers. Anyone who can see the ticket may add one. */
export async function postNote(
  deps: Deps,
  actor: Actor,
  number: string,
  raw: PostNoteInput,
): Promise<Posted> {
  const input = parseInput(PostNote, raw);
  const files = await prepareFiles(deps, input.attachments);
  if (actor.kind === 'customer') throw new AppError('forbidden', 403, 'Customers cannot add internal notes');
  return inTransactionWithRef(deps, async (trx, ref) =>
    withAnswer(trx, ref, await noteIn(trx, ref, deps.clock.now(), actor, number, input, files)),
  );
}

/** postNote's transaction body. */
export async function noteIn(
  trx: Trx,
  ref: Ref,
  now: number,
  actor: Actor,
  number: string,
  input: ReturnType<typeof PostNote.parse>,
  files: StoredFile[],
  via: Via = { source: 'web' },
): Promise<Posted> {
  const ticket = await loadVisibleTicket(trx, actor, number);
  transition(ref, ticket, { type: 'note' }, actor, now);
  const entry = await insertStaffEntry(trx, ticket.id, 'note', actor, input, files, via, now);
  const notifyAssignee =
    ticket.assignee_id !== null && !(actor.kind === 'agent' && actor.id === ticket.assignee_id);
  const change: Change = {
    events: [{ type: 'noted', data: { entry: entry.id } }],
    jobs: notifyAssignee
      ? [{ type: 'notify.note', payload: { ticketId: ticket.id, entryId: entry.id } }]
      : [],
  };
  return { entry, ticket: await applyChange(trx, ref, actor, ticket, change, now) };
}

/**
 * The customer writes on their ticket (portal or email). Awaiting-customer
 * tickets go back to work; resolved or closed ones reopen within the reopen
 * window, and after it the message opens a new ticket linked to the old one.
 */
export async function postCustomerMessage(
  deps: Deps,
  actor: Actor,
  number: string,
  raw: CustomerMessageInput,
): Promise<Posted> {
  const input = parseInput(CustomerMessage, raw);
  const files = await prepareFiles(deps, input.attachments);
  if (actor.kind !== 'customer')
    throw new AppError('forbidden', 403, 'Only customers post customer messages');
  try {
    return await inTransactionWithRef(deps, async (trx, ref) =>
      withAnswer(trx, ref, await customerMessageIn(trx, ref, deps.clock.now(), actor, number, input, files)),
    );
  } catch (err) {
    // A follow-up ticket (after the reopen window) a rule refused: kept for the admin like any intake.
    if (err instanceof RuleRejected) {
      const from = await deps.db
        .selectFrom('customers')
        .select('email')
        .where('id', '=', actor.id)
        .executeTakeFirst();
      const payload = { followUpOf: number, body: input.body.slice(0, 64 * 1024) };
      const what = {
        channel: input.source,
        requester: from?.email ?? '',
        subject: `Follow-up of #${number}`,
        payload,
      };
      await recordRejection(deps.db, err, what, deps.clock.now());
    }
    throw err;
  }
}

/** postCustomerMessage's transaction body. */
export async function customerMessageIn(
  trx: Trx,
  ref: Ref,
  now: number,
  actor: Extract<Actor, { kind: 'customer' }>,
  number: string,
  input: ReturnType<typeof CustomerMessage.parse>,
  files: StoredFile[],
): Promise<Posted> {
  const ticket = await loadVisibleTicket(trx, actor, number);
  const t = transition(ref, ticket, { type: 'customer_reply' }, actor, now);
  if (t.newTicket) return followUpTicket(trx, ref, now, actor, ticket, input, files);
  const entry = await insertEntry(trx, {
    ticketId: ticket.id,
    kind: 'message',
    authorCustomerId: actor.id,
    body: cleanBody(input.body, input.format),
    format: input.format,
    source: input.source,
    messageId: input.messageId ?? null,
    now,
    files,
  });
  const change: Change = {
    patch: { ...t.patch, last_message_at: now },
    events: [{ type: 'customer_replied', data: { entry: entry.id } }],
    jobs: [{ type: 'notify.customer_replied', payload: { ticketId: ticket.id, entryId: entry.id } }],
  };
  if (t.reopened)
    change.events!.push({
      type: 'reopened',
      data: { before: t.before, after: t.after, action: 'customer_reply' },
    });
  else if (t.after.state !== t.before.state)
    change.events!.push({
      type: 'status_changed',
      data: { before: t.before, after: t.after, action: 'customer_reply' },
    });
  const updated = await applyChange(trx, ref, actor, ticket, change, now);
  if (!ref.routingRules.some((r) => r.on_reply === 1)) return { entry, ticket: updated };
  const from = await trx
    .selectFrom('customers')
    .select('email')
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  const message = { from: from.email, body: input.body, format: input.format, source: input.source };
  return { entry, ticket: await applyReplyRules(trx, ref, updated, message, now) };
}

async function followUpTicket(
  trx: Parameters<typeof openTicket>[0],
  ref: Parameters<typeof openTicket>[1],
  now: number,
  actor: Extract<Actor, { kind: 'customer' }>,
  old: Ticket,
  input: ReturnType<typeof CustomerMessage.parse>,
  files: Parameters<typeof openTicket>[5],
): Promise<Posted> {
  // The writer raises the follow-up; the original requester stays informed as a collaborator.
  const people = await trx
    .selectFrom('customers')
    .select(['id', 'email', 'name'])
    .where('id', 'in', [actor.id, old.requester_id])
    .execute();
  const requester = people.find((p) => p.id === actor.id)!;
  const original = people.find((p) => p.id === old.requester_id && p.id !== actor.id);
  const ticket = await openTicket(
    trx,
    ref,
    now,
    actor,
    {
      subject: old.subject.startsWith('Re: ') ? old.subject : `Re: ${old.subject}`,
      body: input.body,
      format: input.format,
      requester: { email: requester.email, name: requester.name },
      source: input.source,
      department: old.department_id,
      ...(old.help_topic_id !== null ? { helpTopic: old.help_topic_id } : {}),
      priority: old.priority_id,
      autorespond: true,
      alert: true,
      linkedTicketId: old.id,
      collaborators: original ? [{ email: original.email, name: original.name }] : [],
      ...(input.messageId ? { messageId: input.messageId } : {}),
    },
    files,
  );
  await applyChange(
    trx,
    ref,
    actor,
    old,
    { events: [{ type: 'linked', data: { followUp: ticket.id } }] },
    now,
  );
  const entry = await trx
    .selectFrom('thread_entries')
    .select(ENTRY_COLUMNS)
    .where('ticket_id', '=', ticket.id)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return { entry, ticket };
}
