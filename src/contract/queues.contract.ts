import { z } from 'zod';
import { IdOrName } from './common.contract.ts';
import { ErrorCodeSchema } from './errors.ts';
import { ListTickets, SORTS } from './tickets.contract.ts';

// Shapes of the queue sidebar (counts), saved queues and bulk actions.

/** Columns a queue table can show; `number` always comes first in the UI. */
export const COLUMNS = [
  'number',
  'subject',
  'requester',
  'priority',
  'status',
  'department',
  'assignee',
  'updated',
  'due',
  'created',
] as const;
export type ColumnKey = (typeof COLUMNS)[number];

/** The GET /tickets filters a saved queue keeps (queue, cursor and paging are the list's own). */
export const QueueFilters = ListTickets.pick({
  state: true,
  department: true,
  team: true,
  assignee: true,
  priority: true,
  status: true,
  q: true,
});

const SavedQueueFields = {
  name: z.string().trim().min(1).max(80),
  filters: QueueFilters,
  columns: z
    .array(z.enum(COLUMNS))
    .min(1)
    .max(COLUMNS.length)
    .refine((c) => new Set(c).size === c.length, 'each column once'),
  sort: z.enum(SORTS),
  /** Shared with every agent; only administrators may share. */
  shared: z.boolean(),
};
export const SavedQueueInput = z.strictObject({
  ...SavedQueueFields,
  filters: SavedQueueFields.filters.default({}),
  sort: SavedQueueFields.sort.default('-updated'),
  shared: SavedQueueFields.shared.default(false),
});
export type SavedQueueInput = z.input<typeof SavedQueueInput>;
/** PATCH: only the fields given change (no defaults here). */
export const SavedQueuePatch = z
  .strictObject(SavedQueueFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');
export const SavedQueueParams = z.strictObject({ id: z.coerce.number().int().positive() });

const Count = { count: z.number(), capped: z.boolean() };

export const SavedQueueOut = z.object({
  id: z.number(),
  name: z.string(),
  /** As saved: the list filters, `state` as a list. */
  filters: QueueFilters,
  columns: z.array(z.enum(COLUMNS)),
  sort: z.enum(SORTS),
  shared: z.boolean(),
  /** May the caller edit or delete it (their own; shared ones for administrators). */
  editable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const QueueListOut = z.object({
  /** Counts stop at this many tickets: `{count: cap, capped: true}` reads "1k+". */
  cap: z.number(),
  builtin: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      /** The queue's own order (GET /tickets without `sort`). */
      sort: z.enum(SORTS),
      /** Orders an index serves; others only while the queue holds at most `cap` tickets. */
      sorts: z.array(z.enum(SORTS)),
      ...Count,
    }),
  ),
  /** Orders an index serves for filter lists and saved queues. */
  filterSorts: z.array(z.enum(SORTS)),
  saved: z.array(SavedQueueOut.extend(Count)),
});

export const BULK_MAX = 100;
const Numbers = z
  .array(z.string().trim().min(1).max(32))
  .min(1)
  .max(BULK_MAX)
  .refine((n) => new Set(n).size === n.length, 'each ticket once');

/** One action over up to 100 tickets; the arguments are those of the per-ticket action. */
export const BulkInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('assign'),
    numbers: Numbers,
    /** An agent (id, email or name), `me`, or null to unassign. */
    assignee: IdOrName.nullable(),
  }),
  z.strictObject({ action: z.literal('transfer'), numbers: Numbers, department: IdOrName }),
  z.strictObject({
    action: z.literal('status'),
    numbers: Numbers,
    status: IdOrName,
    reason: z.string().trim().max(2000).optional(),
  }),
  z.strictObject({ action: z.literal('priority'), numbers: Numbers, priority: IdOrName }),
  z.strictObject({
    action: z.literal('close'),
    numbers: Numbers,
    reason: z.string().trim().max(2000).optional(),
  }),
]);
export type BulkInput = z.output<typeof BulkInput>;

export const BulkOut = z.object({
  results: z.array(
    z.object({
      number: z.string(),
      ok: z.boolean(),
      error: z.object({ code: ErrorCodeSchema, message: z.string() }).optional(),
    }),
  ),
});

export type SavedQueueOut = z.output<typeof SavedQueueOut>;
export type QueueListOut = z.output<typeof QueueListOut>;
export type BulkOut = z.output<typeof BulkOut>;
