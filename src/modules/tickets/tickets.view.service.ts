import type { Db } from '../../db/database.ts';
import { findRating, type RatingRow } from '../surveys/surveys.repository.ts';
import type { Ticket, ThreadEntry, TicketEvent } from '../../db/schema.ts';
import { referenceOf, type Deps } from '../../lib/deps.ts';
import type { Actor } from '../auth/auth.actor.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { listEntries } from '../threads/threads.repository.ts';
import { attachmentsOfTicket } from '../attachments/attachments.repository.ts';
import { listEvents } from './tickets.events.repository.ts';
import { loadVisibleTicket } from './tickets.change.service.ts';
import { agentNames, collaboratorsOf, customerNames, tagsOf } from './tickets.view.repository.ts';

/** Events a customer may see in their thread; the rest (assignment, transfers, priorities) is internal. */
const PUBLIC_EVENTS = new Set(['created', 'resolved', 'closed', 'reopened']);

export interface AttachmentRow {
  id: number;
  entry_id: number | null;
  filename: string;
  content_type: string;
  size: number;
}

/** Names for every agent and customer a ticket view mentions, read in two queries. */
export interface People {
  agents: Map<number, { id: number; name: string; email: string }>;
  customers: Map<number, { id: number; name: string; email: string }>;
}

export interface TicketView {
  ticket: Ticket;
  entries: ThreadEntry[];
  events: TicketEvent[];
  attachments: AttachmentRow[];
  collaborators: number[];
  /** Tags from routing rules (staff only; empty for customers). */
  tags: string[];
  /** The customer's satisfaction rating, shown to staff and to the customer. */
  rating: RatingRow | null;
  people: People;
  ref: ReferenceSnapshot;
}

/** A ticket as the actor may see it: 404 when they may not, no notes or internal events for customers. */
export async function getTicketView(deps: Deps, actor: Actor, number: string): Promise<TicketView> {
  const ref = await referenceOf(deps);
  const ticket = await loadVisibleTicket(deps.db, actor, number, false);
  const staff = actor.kind !== 'customer';
  const [entries, allEvents, collaborators, tags, rating] = await Promise.all([
    listEntries(deps.db, ticket.id, { includeNotes: staff }),
    listEvents(deps.db, ticket.id),
    collaboratorsOf(deps.db, ticket.id),
    staff ? tagsOf(deps.db, ticket.id) : [],
    findRating(deps.db, ticket.id),
  ]);
  const events = staff ? allEvents : allEvents.filter((e) => PUBLIC_EVENTS.has(e.type));
  const attachments = await attachmentsOf(deps.db, ticket.id, new Set(entries.map((e) => e.id)));
  const collaboratorIds = collaborators.map((c) => c.customer_id);
  const people = await loadPeople(deps.db, [ticket], entries, events, collaboratorIds);
  return {
    ticket,
    entries,
    events,
    attachments,
    collaborators: collaboratorIds,
    tags: tags.map((t) => t.tag),
    rating: rating ?? null,
    people,
    ref,
  };
}

/** Attachments of the entries shown; those of hidden entries (notes, for customers) stay hidden. */
async function attachmentsOf(db: Db, ticketId: number, shown: Set<number>): Promise<AttachmentRow[]> {
  const rows = await attachmentsOfTicket(db, ticketId);
  return rows.filter((a) => a.entry_id === null || shown.has(a.entry_id));
}

export async function loadPeople(
  db: Db,
  tickets: Pick<Ticket, 'assignee_id' | 'requester_id'>[],
  entries: Pick<ThreadEntry, 'author_agent_id' | 'author_customer_id'>[] = [],
  events: Pick<TicketEvent, 'actor_type' | 'actor_id' | 'type' | 'data'>[] = [],
  customerIds: number[] = [],
): Promise<People> {
  const agentIds = new Set<number>();
  const custIds = new Set<number>(customerIds);
  for (const t of tickets) {
    if (t.assignee_id !== null) agentIds.add(t.assignee_id);
    custIds.add(t.requester_id);
  }
  for (const e of entries) {
    if (e.author_agent_id !== null) agentIds.add(e.author_agent_id);
    if (e.author_customer_id !== null) custIds.add(e.author_customer_id);
  }
  for (const e of events) {
    if (e.actor_id !== null) (e.actor_type === 'agent' ? agentIds : custIds).add(e.actor_id);
    // Assignment events name the agents they moved the ticket between.
    if (e.type === 'assigned') {
      const d = JSON.parse(e.data) as { before?: unknown; after?: unknown };
      for (const v of [d.before, d.after]) if (typeof v === 'number') agentIds.add(v);
    }
  }
  const [agents, customers] = await Promise.all([
    agentIds.size ? agentNames(db, [...agentIds]) : [],
    custIds.size ? customerNames(db, [...custIds]) : [],
  ]);
  return {
    agents: new Map(agents.map((a) => [a.id, a])),
    customers: new Map(customers.map((c) => [c.id, c])),
  };
}
