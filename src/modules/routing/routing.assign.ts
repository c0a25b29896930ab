import { sql } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import type { AutoAssign } from '../../db/schema.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';

// Automatic assignment. A department (or a ticket's team, which wins) gives
// its tickets out round-robin or to the least loaded agent. Only active agents
// who are "available", who reach the department (or are team members) and are
// under their max_open_tickets take part. The turn is a row in
// assignment_turns, locked while a ticket is given out: with several server
// processes on PostgreSQL no two hand out the same turn, and least-loaded
// counts see every assignment committed before theirs.

export interface AssignScope {
  department_id: number;
  team_id: number | null;
}

interface Pool {
  scope: 'department' | 'team';
  id: number;
  mode: Exclude<AutoAssign, 'off'>;
}

/** Which pool hands out a ticket's work, if any: its team's when the team assigns, else its department's. */
export function poolFor(ref: ReferenceSnapshot, t: AssignScope): Pool | null {
  const team = t.team_id === null ? undefined : ref.team(t.team_id);
  if (team && team.auto_assign !== 'off') return { scope: 'team', id: team.id, mode: team.auto_assign };
  const dept = ref.department(t.department_id);
  if (dept && dept.auto_assign !== 'off') return { scope: 'department', id: dept.id, mode: dept.auto_assign };
  return null;
}

/** The agent whose turn it is (and records the turn), or null when nobody can take the ticket. */
export async function pickAgent(
  trx: Db,
  ref: ReferenceSnapshot,
  t: AssignScope,
  now: number,
  exclude: number | null = null,
): Promise<number | null> {
  const pool = poolFor(ref, t);
  if (!pool) return null;
  const last = await lockTurn(trx, pool, now);
  const candidates = (await eligibleAgents(trx, pool)).filter((a) => a.id !== exclude);
  if (candidates.length === 0) return null;
  // Rotation order after the last agent served: ties (and round-robin) go to the next in line.
  const rotated = [
    ...candidates.filter((a) => last === null || a.id > last),
    ...candidates.filter((a) => last !== null && a.id <= last),
  ];
  const chosen =
    pool.mode === 'round_robin'
      ? rotated[0]!
      : rotated.reduce((best, a) =>
          a.weight < best.weight || (a.weight === best.weight && a.open < best.open) ? a : best,
        );
  await trx
    .updateTable('assignment_turns')
    .set({ last_agent_id: chosen.id, updated_at: now })
    .where('scope', '=', pool.scope)
    .where('scope_id', '=', pool.id)
    .execute();
  return chosen.id;
}

async function lockTurn(trx: Db, pool: Pool, now: number): Promise<number | null> {
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

/** Available agents of the pool under their cap, in id order, with their open work (count and priority weight). */
async function eligibleAgents(trx: Db, pool: Pool) {
  const members =
    pool.scope === 'team'
      ? trx.selectFrom('team_members').select('agent_id').where('team_id', '=', pool.id)
      : trx.selectFrom('agent_departments').select('agent_id').where('department_id', '=', pool.id);
  const agents = await trx
    .selectFrom('agents')
    .select(['id', 'max_open_tickets'])
    .where('id', 'in', members)
    .where('is_active', '=', 1)
    .where('availability', '=', 'available')
    .orderBy('id')
    .execute();
  if (agents.length === 0) return [];
  const loads = await trx
    .selectFrom('tickets')
    .select([
      'assignee_id',
      sql<number>`count(*)`.as('open'),
      // Weighted by priority level: an emergency weighs four lows.
      sql<number>`sum(priority_level)`.as('weight'),
    ])
    .where(
      'assignee_id',
      'in',
      agents.map((a) => a.id),
    )
    // A literal, like the partial index's predicate, so both planners use tickets_assignee_active.
    .where(sql<boolean>`state in ('open', 'pending')`)
    .groupBy('assignee_id')
    .execute();
  const load = new Map(loads.map((l) => [l.assignee_id, l]));
  return agents
    .map((a) => ({
      id: a.id,
      max: a.max_open_tickets,
      open: Number(load.get(a.id)?.open ?? 0),
      weight: Number(load.get(a.id)?.weight ?? 0),
    }))
    .filter((a) => a.max === null || a.open < a.max);
}
