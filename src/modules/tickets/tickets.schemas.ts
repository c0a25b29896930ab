import { z } from 'zod';
import { isMailAddress } from '../../lib/email.ts';
import { Instant } from '../../lib/instant.ts';
import { Attachments } from '../attachments/attachments.input.ts';
import { SORTS } from './tickets.sort.query.ts';

// Input shapes of the ticket use cases. Services parse with these (they are the
// boundary every channel goes through); the HTTP layer reuses them for OpenAPI.

export const IdOrName = z.union([z.number().int().positive(), z.string().trim().min(1).max(255)]);
/** The path of every route about one ticket: /tickets/:number/… */
export const TicketParams = z.strictObject({ number: z.string().trim().min(1).max(32) });
export const Source = z.enum(['email', 'web', 'phone', 'api', 'other']);
export const Format = z.enum(['text', 'html']);

/**
 * An email address as people type it, internationalized ones included (RFC
 * 6531: `jdöe@mächine.example`): trimmed, at most 254 characters. Services
 * store and match it through normalizeEmail (customers.repository.ts).
 */
export const Email = z
  .string()
  .trim()
  .max(254)
  .refine(isMailAddress, { message: 'not a valid email address' })
  .meta({ format: 'idn-email' });
/** A display name. */
export const PersonName = z.string().trim().min(1).max(128);

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

/** PATCH: any of the re-planning fields at once; names, emails or ids like everywhere else. */
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
const STATES = ['open', 'pending', 'resolved', 'closed'] as const;
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
