import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { agentNames } from '../directory/agents.repository.ts';
import { satisfaction } from './reports.csat.service.ts';
import { distributionByActor } from './reports.durations.service.ts';
import type { AgentRowOut } from '../../contract/reports.contract.ts';
import { rangeOf, type Scope } from './reports.scope.ts';
import { countByActor } from './reports.stats.repository.ts';
import { ratingsInRange } from './reports.tickets.repository.ts';

// Per agent over the range: tickets the agent resolved (took out of work),
// replies sent, the median of the first responses the agent gave, and the
// CSAT of ratings given while the agent was the assignee.

export type AgentRow = z.output<typeof AgentRowOut>;

export async function agentsReport(db: Db, scope: Scope): Promise<{ rows: AgentRow[] }> {
  const replies = await countByActor(db, scope, 'reply', rangeOf(scope));
  const resolved = await countByActor(db, scope, 'left', rangeOf(scope));
  const firstResponses = await distributionByActor(db, scope, 'firstResponse');
  const scores = new Map<number, number[]>();
  for (const r of await ratingsInRange(db, scope)) {
    if (r.agent_id === null) continue;
    const id = Number(r.agent_id);
    scores.set(id, [...(scores.get(id) ?? []), r.score]);
  }

  const ids = [
    ...new Set([...replies.keys(), ...resolved.keys(), ...firstResponses.keys(), ...scores.keys()]),
  ];
  const names = new Map<number, string>();
  for (const a of await agentNames(db, ids)) names.set(Number(a.id), a.name);
  const rows: AgentRow[] = [];
  for (const id of ids) {
    const given = scores.get(id) ?? [];
    rows.push({
      agentId: id,
      name: names.get(id) ?? '',
      resolved: resolved.get(id) ?? 0,
      replies: replies.get(id) ?? 0,
      firstResponseMedianMs: firstResponses.get(id)?.medianMs ?? null,
      csat: { responses: given.length, score: satisfaction(given) },
    });
  }
  rows.sort(
    (x, y) =>
      y.resolved - x.resolved ||
      y.replies - x.replies ||
      x.name.localeCompare(y.name) ||
      x.agentId - y.agentId,
  );
  return { rows };
}
