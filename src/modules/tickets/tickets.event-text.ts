import type { TicketEvent } from '../../db/schema.ts';
import { isoOrNull } from '../../contract/instant.contract.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import type { People } from './tickets.view.service.ts';

// One line of text per history event, for the thread view. Kept with the
// other user-visible texts of the tickets module so it can be translated.

type Data = Record<string, unknown>;
const CLOCK_TEXT: Record<string, string> = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
};
const num = (v: unknown) => (typeof v === 'number' ? v : null);

/** An event's data; a row that is not a JSON object reads as empty rather than failing the thread. */
function dataOf(e: TicketEvent): Data {
  try {
    const d: unknown = JSON.parse(e.data);
    return d !== null && typeof d === 'object' ? (d as Data) : {};
  } catch {
    return {};
  }
}

export function describeEvent(
  e: TicketEvent,
  ref: ReferenceSnapshot,
  people: People,
  staff: boolean,
): string {
  const d = dataOf(e);
  const agent = (v: unknown) => {
    const id = num(v);
    return id === null ? 'nobody' : (people.agents.get(id)?.name ?? `agent #${id}`);
  };
  const status = (v: unknown) => {
    const s = (v as { status?: unknown } | null)?.status;
    return ref.statusById(num(s) ?? -1)?.name ?? String((v as { state?: unknown } | null)?.state ?? '?');
  };
  const reason = typeof d.reason === 'string' && d.reason ? ` (${d.reason})` : '';
  switch (e.type) {
    case 'created':
      return `Ticket opened via ${String(d.source ?? 'api')}`;
    case 'assigned': {
      const team = d.team as { before?: unknown; after?: unknown } | undefined;
      if (team) return `Team: ${ref.team(num(team.after) ?? -1)?.name ?? 'none'}`;
      return `Assigned to ${agent(d.after)}`;
    }
    case 'transferred':
      return `Transferred from ${ref.department(num(d.before) ?? -1)?.name ?? '?'} to ${ref.department(num(d.after) ?? -1)?.name ?? '?'}`;
    case 'priority_changed':
      return `Priority: ${ref.priority(num(d.before) ?? -1)?.name ?? '?'} → ${ref.priority(num(d.after) ?? -1)?.name ?? '?'}`;
    case 'help_topic_changed':
      return `Help topic: ${ref.topic(num(d.after) ?? -1)?.name ?? 'none'}`;
    case 'due_date_changed':
      return `Due date: ${d.after === null || d.after === undefined ? 'none' : (isoOrNull(d.after) ?? 'invalid date')}`;
    case 'status_changed':
      return `Status: ${status(d.before)} → ${status(d.after)}${staff ? reason : ''}`;
    case 'resolved':
      return `Resolved${staff ? reason : ''}`;
    case 'closed':
      return `Closed${staff ? reason : ''}`;
    case 'reopened':
      return 'Reopened';
    case 'replied':
      return 'Replied';
    case 'noted':
      return 'Internal note added';
    case 'customer_replied':
      return 'Customer replied';
    case 'collaborators_added':
      return 'Collaborators added';
    case 'linked':
      return 'Follow-up ticket opened';
    case 'email_bounced':
      return `Email to ${String(d.recipient ?? 'the customer')} could not be delivered${staff && d.status ? ` (${String(d.status)})` : ''}`;
    case 'auto_reply_received':
      return `Automatic reply received from ${String(d.from ?? 'the customer')}`;
    case 'rated':
      return `Rated ${String(d.score)}${d.scale === 'binary' ? (d.score === 5 ? ' (good)' : ' (bad)') : ' of 5'}${d.before !== null && d.before !== undefined ? ' (changed)' : ''}`;
    case 'reminder_sent':
      return 'Reminder sent to the customer';
    case 'sla_warning':
      return `SLA ${CLOCK_TEXT[String(d.clock)] ?? 'target'} due soon`;
    case 'sla_breached':
      return `SLA ${CLOCK_TEXT[String(d.clock)] ?? 'target'} missed`;
    default:
      return e.type;
  }
}
