import { sql } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';

// assignment_turns (whose turn it is in each pool) and the reads automatic
// assignment makes: a pool's available agents, their open work, and the
// unassigned tickets waiting for them.

export interface PoolKey {
  scope: 'department' | 'team';
  id: number;
}

/** The pool's turn row, created when missing and locked (PostgreSQL) until the transaction ends. */
export async function lockTurn(trx: Db, pool: PoolKey, now: number): Promise<number | null> {
  await trx
    .insertInto('assignment_turns')
    .values({ scope: pool.scope, scope_id: pool.id, last_agent_id: null, updated_at: now })
    .onConflict((oc) => oc.columns(['scope', 'scope_id']).doNothing())
    .execute();
  // SQLite's writer already holds the database; PostgreSQL locks the one row.
  let q = trx
    .selectFrom('assignment_turns')
    .select('last_agent_id')
    .where('scope', '=', pool.scope)
    .where('scope_id', '=', pool.id);
  if (isPostgres(trx)) q = q.forUpdate();
  return (await q.executeTakeFirstOrThrow()).last_agent_id;
}

export async function recordTurn(trx: Db, pool: PoolKey, agentId: number, now: number): Promise<void> {
  await trx
    .updateTable('assignment_turns')
    .set({ last_agent_id: agentId, updated_at: now })
    .where('scope', '=', pool.scope)
    .where('scope_id', '=', pool.id)
    .execute();
}

/** The pool's active, available agents in id order, with their cap. */
export function availableAgents(trx: Db, pool: PoolKey) {
  const members =
    pool.scope === 'team'
      ? trx.selectFrom('team_members').select('agent_id').where('team_id', '=', pool.id)
      : trx.selectFrom('agent_departments').select('agent_id').where('department_id', '=', pool.id);
  return trx
    .selectFrom('agents')
    .select(['id', 'max_open_tickets'])
    .where('id', 'in', members)
    .where('is_active', '=', 1)
    .where('availability', '=', 'available')
    .orderBy('id')
    .execute();
}

/** Open work per agent: how many open or pending tickets, and their priority levels summed. */
export function openLoads(trx: Db, agentIds: number[]) {
  return (
    trx
      .selectFrom('tickets')
      .select([
        'assignee_id',
        sql<number>`count(*)`.as('open'),
        sql<number>`sum(priority_level)`.as('weight'),
      ])
      .where('assignee_id', 'in', agentIds)
      // A literal, like the partial index's predicate, so both planners use tickets_assignee_active.
      .where(sql<boolean>`state in ('open', 'pending')`)
      .groupBy('assignee_id')
      .execute()
  );
}

/** A pool's unassigned open tickets, highest priority first, then oldest. */
export function unassignedTickets(
  db: Db,
  pool: { column: 'team_id' | 'department_id'; id: number },
  limit: number,
) {
  return db
    .selectFrom('tickets')
    .select(['number', 'department_id', 'team_id'])
    .where(pool.column, '=', pool.id)
    .where(sql<boolean>`state = 'open' and assignee_id is null`)
    .orderBy('priority_level', 'desc')
    .orderBy('created_at')
    .limit(limit)
    .execute();
}
