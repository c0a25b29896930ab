import type { z } from 'zod';
import { referenceOf, type Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { countTickets, viewableDepartments } from '../tickets/tickets.list.service.ts';
import { countQueue, DEFAULT_SORT, INDEXED, type QueueName } from '../tickets/tickets.queues.repository.ts';
import { FILTER_SORTS } from '../tickets/tickets.sort.query.ts';
import type { QueueListOut } from '../../contract/queues.contract.ts';
import { listSavedQueues, presentSavedQueue } from './queues.saved.service.ts';

/**
 * Counts stop here: a count reads at most CAP + 1 index entries per queue, so
 * the sidebar costs the same at a million tickets as at a thousand; beyond it
 * the answer is `{count: CAP, capped: true}` and the UI shows "1k+".
 */
export const COUNT_CAP = 1000;

export const BUILTIN_QUEUES: readonly [QueueName, string][] = [
  ['mine', 'My tickets'],
  ['unassigned', 'Unassigned'],
  ['open', 'Open'],
  ['awaiting', 'Awaiting customer'],
  ['overdue', 'Overdue'],
  ['resolved', 'Resolved'],
  ['closed', 'Closed'],
];

/** The sidebar: the built-in queues over the caller's departments and their saved queues, each counted. */
export async function queueList(deps: Deps, actor: Actor): Promise<z.output<typeof QueueListOut>> {
  if (actor.kind === 'customer') throw new AppError('forbidden', 403, 'Queues are for staff');
  const departmentIds = viewableDepartments(await referenceOf(deps), actor);
  const now = deps.clock.now();
  const builtin = [];
  for (const [key, name] of BUILTIN_QUEUES) {
    if (key === 'mine' && actor.kind !== 'agent') continue;
    const counted = await countQueue(
      deps.db,
      { queue: key, departmentIds, now, ...(actor.kind === 'agent' ? { agentId: actor.id } : {}) },
      COUNT_CAP,
    );
    builtin.push({ key, name, sort: DEFAULT_SORT[key], sorts: [...INDEXED[key]], ...counted });
  }
  const filterSorts = [...FILTER_SORTS];
  if (actor.kind !== 'agent') return { cap: COUNT_CAP, builtin, filterSorts, saved: [] };
  const saved = [];
  for (const q of await listSavedQueues(deps.db, actor)) {
    const filters = JSON.parse(q.filters) as Record<string, unknown>;
    // A queue naming something since deleted counts nothing rather than breaking the sidebar.
    const counted = await countTickets(deps, actor, filters, COUNT_CAP).catch((err: unknown) => {
      if (err instanceof AppError) return { count: 0, capped: false };
      throw err;
    });
    saved.push({ ...presentSavedQueue(q, actor), ...counted });
  }
  return { cap: COUNT_CAP, builtin, filterSorts, saved };
}
