import type { Deps } from '../../lib/deps.ts';
import type { AgentActor } from '../auth/auth.actor.ts';
import { loadVisibleTicket } from '../tickets/tickets.mutation.ts';

// "Who else is on this ticket": one heartbeat row per (ticket, agent) that
// lives PRESENCE_TTL_MS past its last heartbeat. Rows are in the database, so
// every server process sees the same agents.

export const PRESENCE_TTL_MS = 30_000;
export type Activity = 'viewing' | 'replying';

export interface PresentAgent {
  agentId: number;
  name: string;
  activity: Activity;
}

/** Records that the agent is on the ticket (404 when they may not see it) and returns the OTHER agents there. */
export async function heartbeat(
  deps: Deps,
  actor: AgentActor,
  number: string,
  activity: Activity,
): Promise<PresentAgent[]> {
  const ticket = await loadVisibleTicket(deps.db, actor, number, false);
  const now = deps.clock.now();
  const expires_at = now + PRESENCE_TTL_MS;
  await deps.db
    .insertInto('ticket_presence')
    .values({ ticket_id: ticket.id, agent_id: actor.id, activity, expires_at })
    .onConflict((oc) => oc.columns(['ticket_id', 'agent_id']).doUpdateSet({ activity, expires_at }))
    .execute();
  // Sweep stale rows (any ticket) as we go: the table holds little more than live heartbeats.
  await deps.db.deleteFrom('ticket_presence').where('expires_at', '<=', now).execute();
  const rows = await deps.db
    .selectFrom('ticket_presence')
    .innerJoin('agents', 'agents.id', 'ticket_presence.agent_id')
    .select(['agents.id', 'agents.name', 'ticket_presence.activity'])
    .where('ticket_presence.ticket_id', '=', ticket.id)
    .where('ticket_presence.agent_id', '<>', actor.id)
    .where('ticket_presence.expires_at', '>', now)
    .orderBy('agents.name')
    .execute();
  return rows.map((r) => ({ agentId: r.id, name: r.name, activity: r.activity }));
}

/** The agent left the ticket (closed the view); 404 like a read when they may not see it. */
export async function leave(deps: Deps, actor: AgentActor, number: string): Promise<void> {
  const ticket = await loadVisibleTicket(deps.db, actor, number, false);
  await deps.db
    .deleteFrom('ticket_presence')
    .where('ticket_id', '=', ticket.id)
    .where('agent_id', '=', actor.id)
    .execute();
}
