import type { Db } from '../../db/database.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError, forbidden, invalid, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor, AgentActor } from '../auth/auth.actor.ts';
import { countTickets } from '../tickets/tickets.list.service.ts';
import {
  SavedQueueInput,
  SavedQueuePatch,
  type ColumnKey,
  type SavedQueueOut,
} from '../../contract/queues.contract.ts';
import type { SortKey } from '../../contract/tickets.contract.ts';
import { isoText } from '../../contract/instant.contract.ts';
import {
  countQueuesOf,
  deleteSavedQueueRow,
  findSavedQueue,
  insertSavedQueue,
  listQueuesOf,
  updateSavedQueueRow,
  type SavedQueueRow,
} from './queues.saved.repository.ts';

// Saved custom queues: a name, GET /tickets filters, columns and a sort, kept
// per agent (owner_id) or shared with everyone (owner_id null, admins only).
// A saved queue is only a stored query: opening it lists through GET /tickets,
// so an agent sees only the tickets visible to them, whoever made the queue.

type Out = SavedQueueOut;

/** Per agent, so the sidebar stays a sidebar. */
const MAX_PER_OWNER = 50;

function agentOf(actor: Actor): AgentActor {
  if (actor.kind !== 'agent') throw forbidden('Saved queues belong to signed-in agents');
  return actor;
}

const isAdmin = (a: AgentActor) => a.role === 'admin';
const mayEdit = (a: AgentActor, q: SavedQueueRow) => (q.owner_id === null ? isAdmin(a) : q.owner_id === a.id);

export function presentSavedQueue(q: SavedQueueRow, actor: Actor): Out {
  return {
    id: q.id,
    name: q.name,
    filters: JSON.parse(q.filters) as Record<string, unknown>,
    // Stored as the input schema allowed them (in tests and development every answer is checked again).
    columns: JSON.parse(q.columns) as ColumnKey[],
    sort: q.sort as SortKey,
    shared: q.owner_id === null,
    editable: actor.kind === 'agent' && mayEdit(actor, q),
    createdAt: isoText(q.created_at),
    updatedAt: isoText(q.updated_at),
  };
}

/** The caller's own queues and the shared ones, shared first, each group in creation order. */
export async function listSavedQueues(db: Db, actor: Actor): Promise<SavedQueueRow[]> {
  return listQueuesOf(db, agentOf(actor).id);
}

/** A queue the caller may see (own or shared); another agent's is as good as missing. */
async function visibleQueue(db: Db, a: AgentActor, id: number): Promise<SavedQueueRow> {
  const q = await findSavedQueue(db, id);
  if (!q || (q.owner_id !== null && q.owner_id !== a.id)) throw notFound('saved_queue');
  return q;
}

export async function getSavedQueue(db: Db, actor: Actor, id: number): Promise<SavedQueueRow> {
  return visibleQueue(db, agentOf(actor), id);
}

/** The filters must name things that exist: checking them is counting with them. */
const checkFilters = (deps: Deps, a: AgentActor, filters: Record<string, unknown>) =>
  countTickets(deps, a, { ...filters, limit: 1 }, 1);

export async function createSavedQueue(deps: Deps, actor: Actor, raw: unknown): Promise<SavedQueueRow> {
  const a = agentOf(actor);
  const input = parseInput(SavedQueueInput, raw);
  if (input.shared && !isAdmin(a)) throw forbidden('Only administrators may share a queue');
  await checkFilters(deps, a, input.filters);
  const owner = input.shared ? null : a.id;
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const mine = await countQueuesOf(trx, owner);
    if (mine >= MAX_PER_OWNER)
      throw invalid('too_many_saved_queues', `At most ${MAX_PER_OWNER} saved queues each`);
    return insertSavedQueue(trx, {
      owner_id: owner,
      name: input.name,
      filters: JSON.stringify(input.filters),
      columns: JSON.stringify(input.columns),
      sort: input.sort,
      position: mine,
      created_at: now,
      updated_at: now,
    });
  });
}

export async function updateSavedQueue(
  deps: Deps,
  actor: Actor,
  id: number,
  raw: unknown,
): Promise<SavedQueueRow> {
  const a = agentOf(actor);
  const patch = parseInput(SavedQueuePatch, raw);
  if (patch.filters) await checkFilters(deps, a, patch.filters);
  return inTransaction(deps, async (trx) => {
    const q = await visibleQueue(trx, a, id);
    if (!mayEdit(a, q)) throw forbidden('Only administrators may change a shared queue');
    if (patch.shared !== undefined && patch.shared !== (q.owner_id === null)) {
      if (!isAdmin(a)) throw forbidden('Only administrators may share a queue');
      // Unsharing hands the queue to the admin who unshares it.
    }
    return updateSavedQueueRow(trx, q.id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.filters !== undefined ? { filters: JSON.stringify(patch.filters) } : {}),
      ...(patch.columns !== undefined ? { columns: JSON.stringify(patch.columns) } : {}),
      ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
      ...(patch.shared !== undefined ? { owner_id: patch.shared ? null : a.id } : {}),
      updated_at: deps.clock.now(),
    });
  });
}

export async function deleteSavedQueue(deps: Deps, actor: Actor, id: number): Promise<void> {
  const a = agentOf(actor);
  await inTransaction(deps, async (trx) => {
    const q = await visibleQueue(trx, a, id);
    if (!mayEdit(a, q)) throw new AppError('forbidden', 403, 'Only administrators may delete a shared queue');
    await deleteSavedQueueRow(trx, q.id);
  });
}
