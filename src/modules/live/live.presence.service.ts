import type { Deps } from '../../lib/deps.ts';
import type { AgentActor } from '../auth/auth.actor.ts';
import { loadVisibleTicket } from '../tickets/tickets.change.service.ts';
import {
  deletePresence,
  othersOnTicket,
  sweepPresence,
  upsertPresence,
  type Activity,
} from './live.repository.ts';

// "Who else is on this ticket": one heartbeat row per (ticket, agent) that
// lives PRESENCE_TTL_MS past its last heartbeat. Rows are in the database, so
// every server process sees the same agents.

export const PRESENCE_TTL_MS = 30_000;

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
  await upsertPresence(deps.db, {
    ticketId: ticket.id,
    agentId: actor.id,
    activity,
    expiresAt: now + PRESENCE_TTL_MS,
  });
  // Sweep stale rows (any ticket) as we go: the table holds little more than live heartbeats.
  await sweepPresence(deps.db, now);
  const rows = await othersOnTicket(deps.db, ticket.id, actor.id, now);
  return rows.map((r) => ({ agentId: r.id, name: r.name, activity: r.activity }));
}

/** The agent left the ticket (closed the view); 404 like a read when they may not see it. */
export async function leave(deps: Deps, actor: AgentActor, number: string): Promise<void> {
  const ticket = await loadVisibleTicket(deps.db, actor, number, false);
  await deletePresence(deps.db, ticket.id, actor.id);
}
