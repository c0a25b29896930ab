import type { Db } from '../../db/database.ts';
import type { ThreadEntry } from '../../db/schema.ts';
import { parseInput } from '../../lib/validate.ts';
import { loadCustomerActor } from '../auth/auth.actor.ts';
import { findOrCreateCustomer } from '../directory/customers.repository.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { insertEntry, ENTRY_COLUMNS } from '../threads/threads.repository.ts';
import { customerMessageIn, noteIn, replyIn, type Posted } from '../threads/threads.service.ts';
import { canView } from '../tickets/tickets.policy.ts';
import { addCollaborators, isCollaborator } from '../tickets/tickets.repository.ts';
import { CustomerMessage, PostNote, PostReply } from '../tickets/tickets.schemas.ts';
import type { Disposition } from './mail.ingest.service.ts';
import type { MailFiles } from './mail.files.ts';
import type { InboundMail } from './mail.parse.ts';
import { contentOf } from './mail.quotes.ts';
import type { Sender, Thread } from './mail.thread.ts';

/**
 * A message that continues a ticket, inside the ingestion transaction:
 * an agent's answer becomes a reply (when it answers mail sent to that agent
 * and the desk says so) or an internal note; anyone else's a customer message,
 * which reopens or follows up the ticket by the lifecycle rules. Only the new
 * text is kept in the thread; the raw message keeps the quoted rest.
 */
export async function continueThread(
  trx: Db,
  ref: ReferenceSnapshot,
  now: number,
  thread: Thread,
  sender: Sender,
  mail: InboundMail,
  files: MailFiles,
  agentEmailAs: 'reply' | 'note',
): Promise<Disposition> {
  const number = thread.ticket.number;
  const { body, format } = contentOf(mail, true);
  const content = { body: body.slice(0, ref.settings.intake.maxBodyLength), format };
  const via = { source: 'email', messageId: mail.messageId ?? null };
  let posted: Posted;
  let status: Disposition['status'] = 'reply';
  if (sender.agent && canView(sender.agent, thread.ticket)) {
    if (thread.answersMailToSender && agentEmailAs === 'reply') {
      posted = await replyIn(
        trx,
        ref,
        now,
        sender.agent,
        number,
        parseInput(PostReply, content),
        files.stored,
        via,
      );
    } else {
      status = 'note';
      posted = await noteIn(
        trx,
        ref,
        now,
        sender.agent,
        number,
        parseInput(PostNote, content),
        files.stored,
        via,
      );
    }
  } else {
    const customer = await findOrCreateCustomer(trx, { email: sender.address, name: sender.name }, now);
    // Someone the conversation was forwarded to (they hold our Message-ID) joins it as a collaborator.
    if (
      customer.id !== thread.ticket.requester_id &&
      !(await isCollaborator(trx, thread.ticket.id, customer.id))
    )
      await addCollaborators(trx, thread.ticket.id, [customer.id], now);
    const actor = await loadCustomerActor(trx, customer.id);
    const input = parseInput(CustomerMessage, {
      ...content,
      source: 'email',
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
    });
    posted = await customerMessageIn(trx, ref, now, actor, number, input, files.stored);
  }
  await linkInlineImages(trx, posted.entry);
  if (files.notes.length)
    await insertEntry(trx, {
      ticketId: posted.ticket.id,
      kind: 'note',
      body: files.notes.join('\n'),
      format: 'text',
      source: 'email',
      now,
    });
  return { status, ticketId: posted.ticket.id, ticketNumber: posted.ticket.number, entryId: posted.entry.id };
}

export const firstMessageOf = (trx: Db, ticketId: number): Promise<ThreadEntry> =>
  trx
    .selectFrom('thread_entries')
    .select(ENTRY_COLUMNS)
    .where('ticket_id', '=', ticketId)
    .where('kind', '=', 'message')
    .orderBy('id')
    .executeTakeFirstOrThrow();

/** `<img src="cid:…">` → the stored inline image, so the picture shows in the thread. */
export async function linkInlineImages(trx: Db, entry: ThreadEntry): Promise<void> {
  if (entry.format !== 'html' || !entry.body.includes('cid:')) return;
  const inline = await trx
    .selectFrom('attachments')
    .select(['id', 'content_id'])
    .where('entry_id', '=', entry.id)
    .where('content_id', 'is not', null)
    .execute();
  if (inline.length === 0) return;
  const byCid = new Map(inline.map((a) => [a.content_id!.toLowerCase(), a.id]));
  const body = entry.body.replace(/(["'])cid:([^"']+)\1/gi, (whole, q: string, cid: string) => {
    const id = byCid.get(cid.toLowerCase());
    return id === undefined ? whole : `${q}/api/v1/attachments/${id}${q}`;
  });
  if (body !== entry.body) {
    await trx.updateTable('thread_entries').set({ body }).where('id', '=', entry.id).execute();
    entry.body = body;
  }
}
