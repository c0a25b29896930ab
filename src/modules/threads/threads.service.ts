import type { ThreadEntry, Ticket } from '../../db/schema.ts';
import { inUseCase, type Deps, type TxContext } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { cleanBody } from '../../lib/sanitize.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor, CustomerActor } from '../auth/auth.actor.ts';
import { prepareFiles } from '../attachments/attachments.service.ts';
import { recordAttachments, type StoredFile } from '../attachments/attachments.repository.ts';
import { contactsOf, findCustomerById, getCustomerById } from '../directory/customers.repository.ts';
import { openTicket } from '../tickets/tickets.intake.service.ts';
import {
  applyChange,
  loadVisibleTicket,
  transition,
  type Change,
} from '../tickets/tickets.change.service.ts';
import { can } from '../tickets/tickets.policy.ts';
import { prepareAnswer, type PreparedAnswer } from '../tickets/tickets.answer.service.ts';
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
import { firstEntryOf, insertEntry } from './threads.repository.ts';

export interface Posted {
  entry: ThreadEntry;
  ticket: Ticket;
}

/** A posted entry with its answer's names and files, read before the commit (see tickets.answer.service.ts). */
export interface PostedAnswer extends Posted {
  answer: PreparedAnswer;
}

const withAnswer = async (tx: TxContext, posted: Posted): Promise<PostedAnswer> => ({
  ...posted,
  answer: await prepareAnswer(tx, posted.ticket, posted.entry),
});

/**
 * POST …/replies: from staff, a reply mailed to the customer; from the
 * customer, their message (which sets no status: setState is ignored).
 */
export function replyOnThread(
  deps: Deps,
  actor: Actor,
  number: string,
  raw: PostReplyInput,
): Promise<PostedAnswer> {
  if (actor.kind !== 'customer') return postReply(deps, actor, number, raw);
  const { setState: _ignored, ...message } = raw;
  return postCustomerMessage(deps, actor, number, { ...message, source: 'web' });
}

/** An agent's reply to the customer: sent by mail after commit; may set the status on send (e.g. resolve). */
export async function postReply(
  deps: Deps,
  actor: Actor,
  number: string,
  raw: PostReplyInput,
): Promise<PostedAnswer> {
  const input = parseInput(PostReply, raw);
  const files = await prepareFiles(deps, input.attachments);
  return inUseCase(deps, actor, async (tx) => withAnswer(tx, await replyIn(tx, number, input, files)));
}

/** Where an entry came from when not the web/API (an agent answering by email). */
export interface Via {
  source: string;
  messageId?: string | null;
}

/** postReply's transaction body, for callers that record more in the same transaction (email intake). */
export async function replyIn(
  tx: TxContext,
  number: string,
  input: ReturnType<typeof PostReply.parse>,
  files: StoredFile[],
  via: Via = { source: 'web' },
): Promise<Posted> {
  const { trx, ref, now, actor } = tx;
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
  const entry = await insertStaffEntry(tx, ticket.id, 'reply', input, files, via);
  const change: Change = {
    patch: { ...t.patch, first_response_at: ticket.first_response_at ?? now, last_response_at: now },
    events: [{ type: 'replied', data: { entry: entry.id } }],
    jobs: [{ type: 'mail.reply', payload: { ticketId: ticket.id, entryId: entry.id } }],
  };
  if (t.after.status !== t.before.status || t.after.state !== t.before.state) {
    const type = t.reopened ? 'reopened' : t.after.state === 'resolved' ? 'resolved' : 'status_changed';
    change.events!.push({ type, data: { before: t.before, after: t.after, action: 'agent_reply' } });
  }
  // A reply counts in the reports: the change queues the ticket's report refresh.
  return { entry, ticket: await applyChange(tx, ticket, change, true) };
}

/** A reply or note by staff (or the system), with its files; the body sanitized when it is HTML. */
async function insertStaffEntry(
  { trx, now, actor }: TxContext,
  ticketId: number,
  kind: 'reply' | 'note',
  input: { body: string; format: 'text' | 'html' },
  files: StoredFile[],
  via: Via,
) {
  const entry = await insertEntry(trx, {
    ticketId,
    kind,
    authorAgentId: actor.kind === 'agent' ? actor.id : null,
    body: cleanBody(input.body, input.format),
    format: input.format,
    source: via.source,
    messageId: via.messageId ?? null,
    now,
  });
  await recordAttachments(trx, ticketId, entry.id, files, now);
  return entry;
}

/** An internal note: never sent, never shown to customers. Anyone who can see the ticket may add one. */
export async function postNote(
  deps: Deps,
  actor: Actor,
  number: string,
  raw: PostNoteInput,
): Promise<PostedAnswer> {
  const input = parseInput(PostNote, raw);
  const files = await prepareFiles(deps, input.attachments);
  if (actor.kind === 'customer') throw new AppError('forbidden', 403, 'Customers cannot add internal notes');
  return inUseCase(deps, actor, async (tx) => withAnswer(tx, await noteIn(tx, number, input, files)));
}

/** postNote's transaction body. */
export async function noteIn(
  tx: TxContext,
  number: string,
  input: ReturnType<typeof PostNote.parse>,
  files: StoredFile[],
  via: Via = { source: 'web' },
): Promise<Posted> {
  const { trx, ref, now, actor } = tx;
  const ticket = await loadVisibleTicket(trx, actor, number);
  transition(ref, ticket, { type: 'note' }, actor, now);
  const entry = await insertStaffEntry(tx, ticket.id, 'note', input, files, via);
  const notifyAssignee =
    ticket.assignee_id !== null && !(actor.kind === 'agent' && actor.id === ticket.assignee_id);
  const change: Change = {
    events: [{ type: 'noted', data: { entry: entry.id } }],
    jobs: notifyAssignee
      ? [{ type: 'notify.note', payload: { ticketId: ticket.id, entryId: entry.id } }]
      : [],
  };
  // A note changes none of the ticket's report facts: no refresh.
  return { entry, ticket: await applyChange(tx, ticket, change) };
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
): Promise<PostedAnswer> {
  const input = parseInput(CustomerMessage, raw);
  const files = await prepareFiles(deps, input.attachments);
  if (actor.kind !== 'customer')
    throw new AppError('forbidden', 403, 'Only customers post customer messages');
  try {
    return await inUseCase(deps, actor, async (tx) =>
      withAnswer(tx, await customerMessageIn(tx, number, input, files)),
    );
  } catch (err) {
    // A follow-up ticket (after the reopen window) a rule refused: kept for the admin like any intake.
    if (err instanceof RuleRejected) {
      const from = await findCustomerById(deps.db, actor.id);
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
  tx: TxContext<CustomerActor>,
  number: string,
  input: ReturnType<typeof CustomerMessage.parse>,
  files: StoredFile[],
): Promise<Posted> {
  const { trx, ref, now, actor } = tx;
  const ticket = await loadVisibleTicket(trx, actor, number);
  const t = transition(ref, ticket, { type: 'customer_reply' }, actor, now);
  if (t.newTicket) return followUpTicket(tx, ticket, input, files);
  const entry = await insertEntry(trx, {
    ticketId: ticket.id,
    kind: 'message',
    authorCustomerId: actor.id,
    body: cleanBody(input.body, input.format),
    format: input.format,
    source: input.source,
    messageId: input.messageId ?? null,
    now,
  });
  await recordAttachments(trx, ticket.id, entry.id, files, now);
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
  // A customer's message counts in the reports: the change queues the ticket's report refresh.
  const updated = await applyChange(tx, ticket, change, true);
  if (!ref.routingRules.some((r) => r.on_reply === 1)) return { entry, ticket: updated };
  const from = await getCustomerById(trx, actor.id);
  const message = { from: from.email, body: input.body, format: input.format, source: input.source };
  return { entry, ticket: await applyReplyRules(tx, updated, message) };
}

/** After the reopen window the message opens a new ticket linked to the old one. */
async function followUpTicket(
  tx: TxContext<CustomerActor>,
  old: Ticket,
  input: ReturnType<typeof CustomerMessage.parse>,
  files: StoredFile[],
): Promise<Posted> {
  // The writer raises the follow-up; the original requester stays informed as a collaborator.
  const people = await contactsOf(tx.trx, [tx.actor.id, old.requester_id]);
  const requester = people.find((p) => p.id === tx.actor.id)!;
  const original = people.find((p) => p.id === old.requester_id && p.id !== tx.actor.id);
  const ticket = await openTicket(
    tx,
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
  await applyChange(tx, old, { events: [{ type: 'linked', data: { followUp: ticket.id } }] });
  return { entry: await firstEntryOf(tx.trx, ticket.id), ticket };
}
