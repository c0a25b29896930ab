import type { Db } from '../../db/database.ts';
import type { AutoAssign } from '../../db/schema.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import * as turns from './routing.assignment.repository.ts';

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
  const last = await turns.lockTurn(trx, pool, now);
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
  await turns.recordTurn(trx, pool, chosen.id, now);
  return chosen.id;
}

/** Available agents of the pool under their cap, in id order, with their open work (count and priority weight). */
async function eligibleAgents(trx: Db, pool: Pool) {
  const agents = await turns.availableAgents(trx, pool);
  if (agents.length === 0) return [];
  // Weighted by priority level: an emergency weighs four lows.
  const loads = await turns.openLoads(
    trx,
    agents.map((a) => a.id),
  );
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
