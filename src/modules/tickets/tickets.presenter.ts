import type { ThreadItemOut, TicketDetailOut, TicketOut } from '../../contract/tickets.contract.ts';
import type { Ticket, ThreadEntry, TicketEvent } from '../../db/schema.ts';
import { isoOrNull as iso, isoText } from '../../contract/instant.contract.ts';
import type { Actor } from '../auth/auth.actor.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import type { Answered } from './tickets.answer.service.ts';
import { describeEvent } from './tickets.event-text.ts';
import type { AttachmentRow, People, TicketView } from './tickets.view.service.ts';

// Rows → API shapes. Names sit next to ids so scripts can read either; times
// are ISO-8601 UTC. Customers get the public view: no notes, no internal
// events, no staff email addresses. A stored time that is not a time (written
// before inputs were bounded) is shown as null (or '' where every row has one),
// never an error for the whole list: contract/instant.contract.ts.

export function presentTicket(t: Ticket, ref: ReferenceSnapshot, people: People, viewer: Actor): TicketOut {
  const staff = viewer.kind !== 'customer';
  const agent = t.assignee_id !== null ? people.agents.get(t.assignee_id) : undefined;
  const requester = people.customers.get(t.requester_id);
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: ref.statusById(t.status_id)?.name ?? '',
    statusId: t.status_id,
    state: t.state,
    priority: ref.priority(t.priority_id)?.name ?? '',
    priorityId: t.priority_id,
    department: ref.department(t.department_id)?.name ?? '',
    departmentId: t.department_id,
    team: staff && t.team_id !== null ? (ref.team(t.team_id)?.name ?? null) : null,
    teamId: staff ? t.team_id : null,
    assignee: agent
      ? { id: staff ? agent.id : null, name: agent.name, email: staff ? agent.email : null }
      : null,
    helpTopic: t.help_topic_id !== null ? (ref.topic(t.help_topic_id)?.name ?? null) : null,
    helpTopicId: t.help_topic_id,
    source: t.source,
    requester: { id: t.requester_id, name: requester?.name ?? '', email: requester?.email ?? '' },
    dueAt: iso(t.due_at),
    slaDueAt: staff ? iso(t.sla_due_at) : null,
    sla:
      staff && t.sla_plan_id !== null
        ? {
            plan: ref.slaPlan(t.sla_plan_id)?.name ?? '',
            firstResponseDueAt: iso(t.sla_first_due_at),
            nextResponseDueAt: iso(t.sla_next_due_at),
            resolutionDueAt: iso(t.sla_resolve_due_at),
            paused: t.sla_paused_at !== null,
          }
        : null,
    firstResponseAt: iso(t.first_response_at),
    lastMessageAt: iso(t.last_message_at),
    lastResponseAt: iso(t.last_response_at),
    lastSpeaker: lastSpeaker(t),
    resolvedAt: iso(t.resolved_at),
    closedAt: iso(t.closed_at),
    reopenCount: t.reopen_count,
    createdAt: isoText(t.created_at),
    updatedAt: isoText(t.updated_at),
  };
}

/** The customer when their latest message is newer than staff's latest reply (a tie goes to staff, who answered). */
function lastSpeaker(t: Pick<Ticket, 'last_message_at' | 'last_response_at'>): 'customer' | 'agent' | null {
  if (t.last_message_at === null) return t.last_response_at === null ? null : 'agent';
  return t.last_response_at !== null && t.last_response_at >= t.last_message_at ? 'agent' : 'customer';
}

export function presentTicketDetail(view: TicketView, viewer: Actor): TicketDetailOut {
  const { ticket, ref, people } = view;
  const byEntry = new Map<number, AttachmentRow[]>();
  for (const a of view.attachments) {
    if (a.entry_id === null) continue;
    byEntry.set(a.entry_id, [...(byEntry.get(a.entry_id) ?? []), a]);
  }
  const thread: ThreadItemOut[] = [
    ...view.entries.map((e) => presentEntry(e, people, viewer, byEntry.get(e.id) ?? [])),
    ...view.events.map((e) => presentEvent(e, ref, people, viewer)),
  ].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || order(a) - order(b) || a.id - b.id);
  return {
    ...presentTicket(ticket, ref, people, viewer),
    collaborators: view.collaborators.map((id) => {
      const c = people.customers.get(id);
      return { id, name: c?.name ?? '', email: c?.email ?? '' };
    }),
    tags: view.tags,
    fields: ticket.fields ? (JSON.parse(ticket.fields) as Record<string, string>) : {},
    thread,
    rating: view.rating && {
      score: view.rating.score,
      scale: view.rating.scale,
      comment: view.rating.comment,
      createdAt: isoText(view.rating.created_at),
      updatedAt: isoText(view.rating.updated_at),
    },
  };
}

/** At one instant the message comes before the event it caused. */
const order = (i: ThreadItemOut) => (i.kind === 'event' ? 1 : 0);

export function presentEntry(
  e: ThreadEntry,
  people: People,
  viewer: Actor,
  attachments: AttachmentRow[] = [],
): ThreadItemOut {
  return {
    id: e.id,
    kind: e.kind,
    body: e.body,
    format: e.format,
    author: authorOf(
      people,
      viewer,
      e.author_agent_id !== null ? 'agent' : 'customer',
      e.author_agent_id ?? e.author_customer_id,
    ),
    createdAt: isoText(e.created_at),
    attachments: attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      contentType: a.content_type,
      size: a.size,
      url: `/api/v1/attachments/${a.id}`,
    })),
  };
}

function presentEvent(e: TicketEvent, ref: ReferenceSnapshot, people: People, viewer: Actor): ThreadItemOut {
  return {
    id: e.id,
    kind: 'event',
    type: e.type,
    body: describeEvent(e, ref, people, viewer.kind !== 'customer'),
    format: 'text',
    author: authorOf(people, viewer, e.actor_type, e.actor_id),
    createdAt: isoText(e.created_at),
    attachments: [],
  };
}

function authorOf(
  people: People,
  viewer: Actor,
  type: 'agent' | 'customer' | 'system',
  id: number | null,
): ThreadItemOut['author'] {
  if (type === 'system' || id === null) return { type: 'system', id: null, name: 'System', email: null };
  if (type === 'agent') {
    const a = people.agents.get(id);
    const staff = viewer.kind !== 'customer';
    return {
      type,
      id: staff ? id : null,
      name: a?.name ?? 'Agent',
      email: staff ? (a?.email ?? null) : null,
    };
  }
  const c = people.customers.get(id);
  return { type, id, name: c?.name ?? '', email: c?.email ?? null };
}

/**
 * A changed ticket as the caller sees it, with the names it mentions, as its
 * use case read them in the change's transaction (tickets.answer.service.ts): a
 * committed change is never answered with an error.
 */
export const presentChanged = (viewer: Actor, { ticket, answer }: Answered) =>
  presentTicket(ticket, answer.ref, answer.people, viewer);
