import { unlessRefused } from '../../lib/batch.ts';
import { referenceOf, type Deps } from '../../lib/deps.ts';
import { SYSTEM } from '../auth/auth.actor.ts';
import { autoAssign } from '../tickets/tickets.service.ts';
import { poolFor } from './routing.assignment.service.ts';
import { unassignedTickets } from './routing.assignment.repository.ts';

/** Tickets per pool and pass. */
const BATCH = 500;

/**
 * The backlog: unassigned open tickets of departments and teams that assign
 * automatically, highest priority first, each given out in its own
 * transaction through the tickets service (which locks the row and asks
 * again, so a second scheduler racing this one changes nothing). Run by the
 * scheduler and by the `assign.backlog` job an agent's new availability queues.
 */
export async function assignBacklog(deps: Deps): Promise<number> {
  const ref = await referenceOf(deps);
  let assigned = 0;
  const pools = [
    ...ref.teams
      .filter((t) => t.auto_assign !== 'off')
      .map((t) => ({ column: 'team_id' as const, id: t.id })),
    ...ref.departments
      .filter((d) => d.auto_assign !== 'off')
      .map((d) => ({ column: 'department_id' as const, id: d.id })),
  ];
  for (const pool of pools) {
    for (const r of await unassignedTickets(deps.db, pool, BATCH)) {
      // A department's pool leaves tickets whose team assigns them itself.
      if (pool.column === 'department_id' && poolFor(ref, r)?.scope === 'team') continue;
      const t = (await unlessRefused(() => autoAssign(deps, SYSTEM, r.number)))?.ticket;
      if (!t) continue;
      if (t.assignee_id === null) break; // nobody free in this pool: the rest wait for the next pass
      assigned++;
    }
  }
  return assigned;
}
