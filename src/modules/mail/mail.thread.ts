import type { Db } from '../../db/database.ts';
import type { Ticket } from '../../db/schema.ts';
import { loadAgentActor, type AgentActor } from '../auth/auth.actor.ts';
import { findCustomerByEmail } from '../directory/customers.repository.ts';
import { canView } from '../tickets/tickets.policy.ts';
import { findTicketById, findTicketByNumber, isCollaborator } from '../tickets/tickets.repository.ts';
import { sentWithIds, ticketsWithMessageIds } from './mail.inbound.repository.ts';
import type { InboundMail } from './mail.parse.ts';

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
    db
      .selectFrom('agents')
      .select('id')
      .where('email', '=', address)
      .where('is_active', '=', 1)
      .executeTakeFirst(),
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
