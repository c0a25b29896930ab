import type { Db } from '../../db/database.ts';
import type { ThreadEntry, Ticket } from '../../db/schema.ts';
import type { TxContext } from '../../lib/deps.ts';
import { parseInput } from '../../lib/validate.ts';
import type { AgentActor } from '../auth/auth.actor.ts';
import { loadAgentActor, loadCustomerActor } from '../auth/actors.service.ts';
import { findActiveAgentIdByEmail } from '../directory/agents.repository.ts';
import { findCustomerByEmail, findOrCreateCustomer } from '../directory/customers.repository.ts';
import { insertEntry } from '../threads/threads.repository.ts';
import { customerMessageIn, noteIn, replyIn, type Posted } from '../threads/threads.service.ts';
import { canView } from '../tickets/tickets.policy.ts';
import {
  addCollaborators,
  findTicketById,
  findTicketByNumber,
  isCollaborator,
} from '../tickets/tickets.repository.ts';
import { CustomerMessage, PostNote, PostReply } from '../../contract/tickets.contract.ts';
import type { MailFiles } from './mail.files.service.ts';
import { ticketsWithMessageIds } from './mail.inbound.repository.ts';
import type { Disposition } from './mail.ingest.service.ts';
import { sentWithIds } from './mail.log.repository.ts';
import type { InboundMail } from './mail.parse.ts';
import { contentOf } from './mail.quotes.ts';
import { inlineImagesOf, setEntryBody } from './mail.threads.repository.ts';

// Threading: who wrote a message, which ticket it continues, and continuing it.

/** Who wrote: an active agent, a known customer, or a stranger. */
export interface Sender {
  address: string;
  name: string;
  agent: AgentActor | undefined;
  customerId: number | undefined;
  /** An admin banned this customer. */
  banned: boolean;
}

export interface Thread {
  ticket: Ticket;
  via: 'references' | 'token';
  /**
   * The message answers mail we sent to this very sender. Our Message-IDs are
   * random, so only the recipient knows them: this is what lets an agent's
   * emailed answer go to the customer as a reply (a forged From alone cannot).
   */
  answersMailToSender: boolean;
}

export async function identify(db: Db, address: string, name: string): Promise<Sender> {
  const [agent, customer] = await Promise.all([
    findActiveAgentIdByEmail(db, address),
    findCustomerByEmail(db, address),
  ]);
  return {
    address,
    name,
    agent: agent ? await loadAgentActor(db, agent.id) : undefined,
    customerId: customer?.id,
    banned: customer?.is_banned === 1,
  };
}

/**
 * The ticket a message continues: Message-ID / In-Reply-To / References first
 * (from anyone who holds them), then the `[#number]` token in the subject, but
 * only from the requester, a collaborator or an agent who can see the ticket —
 * anyone can type a number into a subject.
 */
export async function findThread(db: Db, mail: InboundMail, sender: Sender): Promise<Thread | undefined> {
  const refs = mail.references;
  if (refs.length > 0) {
    const [sent, received] = await Promise.all([sentWithIds(db, refs), ticketsWithMessageIds(db, refs)]);
    const ticketOf = new Map<string, number>();
    for (const r of [...sent, ...received])
      if (r.ticket_id !== null) ticketOf.set(r.message_id!, r.ticket_id);
    // refs is newest first: the message answered most directly wins.
    for (const id of refs) {
      const ticketId = ticketOf.get(id);
      const ticket = ticketId !== undefined ? await findTicketById(db, ticketId) : undefined;
      if (!ticket) continue;
      const answersMailToSender = sent.some(
        (s) => s.ticket_id === ticket.id && s.to_address.toLowerCase() === sender.address,
      );
      return { ticket, via: 'references', answersMailToSender };
    }
  }
  const token = /\[#([A-Za-z0-9-]{1,32})\]/.exec(mail.subject)?.[1];
  if (!token) return undefined;
  const ticket = await findTicketByNumber(db, token);
  if (!ticket) return undefined;
  const trusted = sender.agent
    ? canView(sender.agent, ticket)
    : sender.customerId !== undefined &&
      (ticket.requester_id === sender.customerId || (await isCollaborator(db, ticket.id, sender.customerId)));
  return trusted ? { ticket, via: 'token', answersMailToSender: false } : undefined;
}

/**
 * A message that continues a ticket, inside the ingestion transaction:
 * an agent's answer becomes a reply (when it answers mail sent to that agent
 * and the desk says so) or an internal note; anyone else's a customer message,
 * which reopens or follows up the ticket by the lifecycle rules. Only the new
 * text is kept in the thread; the raw message keeps the quoted rest.
 */
export async function continueThread(
  tx: TxContext,
  thread: Thread,
  sender: Sender,
  mail: InboundMail,
  files: MailFiles,
  agentEmailAs: 'reply' | 'note',
): Promise<Disposition> {
  const { trx, ref, now } = tx;
  const number = thread.ticket.number;
  const { body, format } = contentOf(mail, true);
  const content = { body: body.slice(0, ref.settings.intake.maxBodyLength), format };
  const via = { source: 'email', messageId: mail.messageId ?? null };
  let posted: Posted;
  let status: Disposition['status'] = 'reply';
  if (sender.agent && canView(sender.agent, thread.ticket)) {
    if (thread.answersMailToSender && agentEmailAs === 'reply') {
      const input = parseInput(PostReply, content);
      posted = await replyIn({ ...tx, actor: sender.agent }, number, input, files.stored, via);
    } else {
      status = 'note';
      const input = parseInput(PostNote, content);
      posted = await noteIn({ ...tx, actor: sender.agent }, number, input, files.stored, via);
    }
  } else {
    posted = await customerMessage(tx, thread, sender, mail, content, files);
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

/** Anyone but an agent who may see the ticket writes as a customer (a stranger becomes one). */
async function customerMessage(
  tx: TxContext,
  thread: Thread,
  sender: Sender,
  mail: InboundMail,
  content: { body: string; format: 'text' | 'html' },
  files: MailFiles,
): Promise<Posted> {
  const { trx, now } = tx;
  const number = thread.ticket.number;
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
  return customerMessageIn({ ...tx, actor }, number, input, files.stored);
}

/** `<img src="cid:…">` → the stored inline image, so the picture shows in the thread. */
export async function linkInlineImages(trx: Db, entry: ThreadEntry): Promise<void> {
  if (entry.format !== 'html' || !entry.body.includes('cid:')) return;
  const inline = await inlineImagesOf(trx, entry.id);
  if (inline.length === 0) return;
  const byCid = new Map(inline.map((a) => [a.content_id!.toLowerCase(), a.id]));
  const body = entry.body.replace(/(["'])cid:([^"']+)\1/gi, (whole, q: string, cid: string) => {
    const id = byCid.get(cid.toLowerCase());
    return id === undefined ? whole : `${q}/api/v1/attachments/${id}${q}`;
  });
  if (body !== entry.body) {
    await setEntryBody(trx, entry.id, body);
    entry.body = body;
  }
}
