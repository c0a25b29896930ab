import { z } from 'zod';
import { AttachmentOut, Attachments } from './attachments.contract.ts';
import { Format, IdOrName, Scale, Source, State, STATES } from './common.contract.ts';
import { Email } from './email.contract.ts';
import { Instant } from './instant.contract.ts';

// Tickets and their thread: what the ticket use cases accept (services parse
// with these: they are the boundary every channel goes through) and what the
// API answers. Answers carry names next to ids; times are ISO-8601 UTC.

/** Orders of a ticket list (the keyset pagination is the server's tickets.sort.query.ts). */
export const SORTS = ['priority', '-updated', 'updated', '-created', 'created', 'due'] as const;
export type SortKey = (typeof SORTS)[number];

/** A ticket in a URL: its number. */
export const TicketParams = z.strictObject({ number: z.string().trim().min(1).max(32) });

const Person = z.strictObject({
  email: Email,
  name: z.string().trim().max(128).optional(),
  phone: z.string().trim().max(32).optional(),
});

/** Lengths are checked again against the admin's intake limits in the service. */
export const CreateTicket = z.strictObject({
  subject: z.string().trim().min(1, 'subject is required').max(255),
  body: z
    .string()
    .min(1, 'message is required')
    .max(1024 * 1024),
  format: Format.default('text'),
  requester: Person,
  source: Source.default('api'),
  department: IdOrName.optional(),
  helpTopic: IdOrName.optional(),
  priority: IdOrName.optional(),
  team: IdOrName.optional(),
  assignee: IdOrName.optional(),
  dueAt: Instant.optional(),
  collaborators: z.array(Person).max(50).optional(),
  /** Send the acknowledgement to the requester (osTicket `autorespond`). */
  autorespond: z.boolean().default(true),
  /** Notify the department's agents (osTicket `alert`). */
  alert: z.boolean().default(true),
  /** An internal note added at creation (osTicket `notes`). */
  note: z
    .string()
    .max(64 * 1024)
    .optional(),
  messageId: z.string().max(998).optional(),
  attachments: Attachments.optional(),
  linkedTicketId: z.number().int().positive().optional(),
  /** Custom form fields (name → value); routing rules can match them. */
  fields: z
    .record(z.string().trim().min(1).max(64), z.string().max(4000))
    .refine((f) => Object.keys(f).length <= 50, 'at most 50 fields')
    .optional(),
});
export type CreateTicketInput = z.input<typeof CreateTicket>;

const Body = z
  .string()
  .min(1, 'body is required')
  .max(1024 * 1024);

export const PostReply = z.strictObject({
  body: Body,
  format: Format.default('text'),
  /** "Set status on send": the state to leave the ticket in. */
  setState: z.enum(['open', 'pending', 'resolved']).optional(),
  attachments: Attachments.optional(),
});
export type PostReplyInput = z.input<typeof PostReply>;

export const PostNote = z.strictObject({
  body: Body,
  format: Format.default('text'),
  attachments: Attachments.optional(),
});
export type PostNoteInput = z.input<typeof PostNote>;

export const CustomerMessage = z.strictObject({
  body: Body,
  format: Format.default('text'),
  source: Source.default('web'),
  messageId: z.string().max(998).optional(),
  attachments: Attachments.optional(),
});
export type CustomerMessageInput = z.input<typeof CustomerMessage>;

export const Assign = z
  .strictObject({ assignee: IdOrName.nullable().optional(), team: IdOrName.nullable().optional() })
  .refine((v) => v.assignee !== undefined || v.team !== undefined, 'name an assignee, a team, or both');
export type AssignInput = z.input<typeof Assign>;

export const Transfer = z.strictObject({
  department: IdOrName,
  note: z
    .string()
    .max(64 * 1024)
    .optional(),
});
export const SetPriority = z.strictObject({ priority: IdOrName });
export const SetStatus = z.strictObject({ status: IdOrName, reason: z.string().max(2000).optional() });
export const SetHelpTopic = z.strictObject({ helpTopic: IdOrName.nullable() });
export const SetDueDate = z.strictObject({ dueAt: Instant.nullable() });
export const Reason = z.strictObject({ reason: z.string().trim().max(2000).optional() });

/** A customer saying "it is not solved" may say why: the comment becomes their message on the ticket. */
export const Reopen = Reason.extend({
  comment: z
    .string()
    .trim()
    .min(1)
    .max(64 * 1024)
    .optional(),
});

/** PATCH: several re-planning fields at once; names, emails or ids like everywhere else. */
export const UpdateTicket = z
  .strictObject({
    department: IdOrName.optional(),
    team: IdOrName.nullable().optional(),
    assignee: IdOrName.nullable().optional(),
    priority: IdOrName.optional(),
    helpTopic: IdOrName.nullable().optional(),
    dueAt: Instant.nullable().optional(),
    status: IdOrName.optional(),
    reason: z.string().trim().max(2000).optional(),
  })
  .refine((v) => Object.keys(v).some((k) => k !== 'reason'), 'name at least one field to change');

export const QUEUES = [
  'open',
  'unassigned',
  'mine',
  'team',
  'awaiting',
  'overdue',
  'resolved',
  'closed',
] as const;
const StateList = z.array(z.enum(STATES)).min(1);
const ONE_STATE = STATES.join('|');
/** `state=open,pending` in a query string, or an array (so parsing twice gives the same result). */
const States = z.union([
  StateList,
  z
    .string()
    // The pattern lists the states in the documentation too (a bare string would say "anything").
    .regex(new RegExp(`^\\s*(${ONE_STATE})\\s*(,\\s*(${ONE_STATE})\\s*)*$`), 'states, comma-separated')
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(StateList),
]);

/** GET /tickets: a queue, or filters (all optional, combined with AND), or a full-text `q`; newest activity first. */
export const ListTickets = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  queue: z.enum(QUEUES).optional(),
  state: States.optional(),
  department: IdOrName.optional(),
  team: IdOrName.optional(),
  /** `me`, `none`, or an agent by id, email or name. */
  assignee: IdOrName.optional(),
  priority: IdOrName.optional(),
  status: IdOrName.optional(),
  /** The requester's email address. */
  requester: z.string().trim().max(254).optional(),
  /** Customers: the tickets they requested or are copied on, or their organization's (when it shares them). */
  scope: z.enum(['mine', 'organization']).optional(),
  /** `priority`, `due`, `updated`/`-updated`, `created`/`-created`; a queue's own order by default, else `-updated`. */
  sort: z.enum(SORTS).optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListTicketsInput = z.input<typeof ListTickets>;

// Answers.

const PersonOut = z.object({ id: z.number().nullable(), name: z.string(), email: z.string().nullable() });
const Author = PersonOut.extend({ type: z.enum(['agent', 'customer', 'system']) });
/** ISO-8601 UTC, or null. */
const Time = z.string().nullable();

export const TicketOut = z.object({
  id: z.number(),
  number: z.string(),
  subject: z.string(),
  status: z.string(),
  statusId: z.number(),
  state: State,
  priority: z.string(),
  priorityId: z.number(),
  department: z.string(),
  departmentId: z.number(),
  team: z.string().nullable(),
  teamId: z.number().nullable(),
  assignee: PersonOut.nullable(),
  helpTopic: z.string().nullable(),
  helpTopicId: z.number().nullable(),
  source: Source,
  requester: PersonOut,
  dueAt: Time,
  slaDueAt: Time,
  /** Staff only: each SLA target's due time, and whether the clocks are paused (null without a plan). */
  sla: z
    .object({
      /** The SLA plan's name. */
      plan: z.string(),
      firstResponseDueAt: Time,
      nextResponseDueAt: Time,
      resolutionDueAt: Time,
      paused: z.boolean(),
    })
    .nullable(),
  firstResponseAt: Time,
  /** The customer's latest message (intake included) and staff's latest reply; notes do not count. */
  lastMessageAt: Time,
  lastResponseAt: Time,
  /** Who wrote last of the two: the queue's "who spoke last"; null before anyone wrote. */
  lastSpeaker: z.enum(['customer', 'agent']).nullable(),
  resolvedAt: Time,
  closedAt: Time,
  reopenCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ThreadItemOut = z.object({
  id: z.number(),
  kind: z.enum(['message', 'reply', 'note', 'event']),
  /** Event type (created, assigned, …) for kind "event". */
  type: z.string().optional(),
  body: z.string(),
  format: Format,
  author: Author,
  createdAt: z.string(),
  attachments: z.array(AttachmentOut),
});

export const TicketDetailOut = TicketOut.extend({
  collaborators: z.array(PersonOut),
  tags: z.array(z.string()),
  /** Custom form fields given at intake. */
  fields: z.record(z.string(), z.string()),
  thread: z.array(ThreadItemOut),
  /** The customer's satisfaction rating (binary scale: 1 = bad, 5 = good). */
  rating: z
    .object({
      score: z.number(),
      scale: Scale,
      comment: z.string().nullable(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .nullable(),
});

export const TicketPageOut = z.object({ items: z.array(TicketOut), nextCursor: z.string().nullable() });

/** A reply, note or customer message just posted, with the ticket as it now is. */
export const PostedOut = z.object({ entry: ThreadItemOut, ticket: TicketOut });

export type TicketOut = z.output<typeof TicketOut>;
export type TicketDetailOut = z.output<typeof TicketDetailOut>;
export type ThreadItemOut = z.output<typeof ThreadItemOut>;
export type TicketPageOut = z.output<typeof TicketPageOut>;
export type PostedOut = z.output<typeof PostedOut>;
