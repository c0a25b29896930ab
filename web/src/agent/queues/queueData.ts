import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  ColumnKey,
  QueueFilters,
  QueueListOut,
  SavedQueueOut,
} from '../../../../src/contract/queues.contract.ts';
import type {
  SortKey,
  TicketOut as TicketRow,
  TicketPageOut,
} from '../../../../src/contract/tickets.contract.ts';
import { api } from '../../ui/api.ts';

// What the queue screens share: the API shapes, the columns, the sorts, and
// the sidebar's list of queues with counts (one query every screen reads).

export type { TicketRow };
export type TicketPage = TicketPageOut;
/** GET /tickets filters a saved queue keeps. */
export type Filters = z.output<typeof QueueFilters>;
export type SavedQueue = SavedQueueOut;
export type QueueList = QueueListOut;
type Counted = Pick<QueueListOut['builtin'][number], 'count' | 'capped'>;

/**
 * The columns a queue table can show, in table order: `wrap` ones may take
 * more lines (the rest keep rows one line high, short values); `optional`
 * ones are left out of a new list.
 */
export const COLUMNS = {
  number: { label: 'Number' },
  subject: { label: 'Subject', wrap: true },
  requester: { label: 'Requester' },
  priority: { label: 'Priority' },
  status: { label: 'Status' },
  department: { label: 'Department' },
  assignee: { label: 'Assignee' },
  updated: { label: 'Last update' },
  due: { label: 'SLA due' },
  created: { label: 'Created', optional: true },
} satisfies Record<ColumnKey, { label: string; wrap?: true; optional?: true }>;
export type { ColumnKey };
export const COLUMN_KEYS = Object.keys(COLUMNS) as ColumnKey[];
export const columnLabel = (c: ColumnKey) => COLUMNS[c].label;
export const wraps = (c: ColumnKey) => 'wrap' in COLUMNS[c];
export const DEFAULT_COLUMNS = COLUMN_KEYS.filter((c) => !('optional' in COLUMNS[c]));

export const SORTS = {
  priority: 'Priority (highest first)',
  due: 'SLA due (soonest first)',
  '-updated': 'Last update (newest first)',
  updated: 'Last update (oldest first)',
  '-created': 'Created (newest first)',
  created: 'Created (oldest first)',
} as const satisfies Record<SortKey, string>;
export type Sort = SortKey;

/** The sorts a column header offers, first click first; the server serves each with a keyset cursor. */
export const COLUMN_SORTS: Partial<Record<ColumnKey, Sort[]>> = {
  priority: ['priority'],
  updated: ['-updated', 'updated'],
  created: ['-created', 'created'],
  due: ['due'],
};

/**
 * A built-in queue as filters, to start a saved queue from it. In sidebar
 * order: its keys hold the sidebar's rows while the queue list loads.
 */
export const QUEUE_FILTERS: Record<string, Filters> = {
  mine: { assignee: 'me', state: ['open', 'pending'] },
  unassigned: { assignee: 'none', state: ['open'] },
  open: { state: ['open'] },
  awaiting: { state: ['pending'] },
  overdue: { state: ['open', 'pending'] },
  resolved: { state: ['resolved'] },
  closed: { state: ['closed'] },
};

export const QUEUES_KEY = ['queues'] as const;

const PAGE_SIZE = 25;

/** The GET /tickets URL of one page of a list (also preloaded at start, so it must be built here only). */
export function listUrl(base: URLSearchParams, sort?: Sort | null, cursor?: string): string {
  const params = new URLSearchParams(base);
  if (sort) params.set('sort', sort);
  params.set('limit', String(PAGE_SIZE));
  if (cursor) params.set('cursor', cursor);
  return `/api/v1/tickets?${params}`;
}

/** The sidebar's queues and counts, refreshed every 30 s (and after every change, by invalidation). */
export const useQueueList = () =>
  useQuery({
    queryKey: QUEUES_KEY,
    queryFn: () => api<QueueList>('GET', '/api/v1/queues'),
    refetchInterval: 30_000,
  });

/** "999+"-style: a capped count says it stopped counting. */
export const countLabel = (c: Counted, cap: number) =>
  c.capped ? (cap >= 1000 ? `${Math.floor(cap / 1000)}k+` : `${cap}+`) : String(c.count);

export const savedKey = (id: number) => `saved-${id}`;

/** The query string of GET /tickets for filters (arrays as comma lists). */
export function filterParams(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters) as [string, unknown][]) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    params.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  return params;
}
