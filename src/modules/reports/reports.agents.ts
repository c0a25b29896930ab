import type { Db } from '../../db/database.ts';
import { ratingsInRange, satisfaction } from './reports.csat.ts';
import { ticketFilter } from './reports.filter.ts';
import { LEFT_WORK, measurementsInRange } from './reports.measures.ts';
import type { Scope } from './reports.query.ts';
import { summarize } from './reports.stats.ts';

// Per agent over the range: tickets handled (replied to or resolved by the
// agent), replies sent, the median of the first responses the agent gave,
// and the CSAT of ratings given while the agent was the assignee.

export interface AgentRow {
  agentId: number;
  name: string;
  handled: number;
  replies: number;
  firstResponseMedianMs: number | null;
  csat: { responses: number; score: number | null };
}

export async function agentsReport(db: Db, scope: Scope): Promise<{ rows: AgentRow[] }> {
  const filter = ticketFilter(scope);
  const replies = await db
    .selectFrom('thread_entries as x')
    .innerJoin('tickets as t', 't.id', 'x.ticket_id')
    .select(['x.author_agent_id as agent', 'x.ticket_id'])
    .where('x.kind', '=', 'reply')
    .where('x.author_agent_id', 'is not', null)
    .where('x.created_at', '>=', scope.start)
    .where('x.created_at', '<', scope.end)
    .where(filter)
    .execute();
  const resolutions = await db
    .selectFrom('ticket_events as e')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select(['e.actor_id as agent', 'e.ticket_id'])
    .where('e.actor_type', '=', 'agent')
    .where('e.created_at', '>=', scope.start)
    .where('e.created_at', '<', scope.end)
    .where(LEFT_WORK)
    .where(filter)
    .execute();

  interface Acc {
    tickets: Set<number>;
    replies: number;
    firstResponses: number[];
    scores: number[];
  }
  const acc = new Map<number, Acc>();
  const of = (agent: unknown): Acc => {
    const id = Number(agent);
    let a = acc.get(id);
    if (!a) acc.set(id, (a = { tickets: new Set(), replies: 0, firstResponses: [], scores: [] }));
    return a;
  };
  for (const r of replies) {
    const a = of(r.agent);
    a.replies++;
    a.tickets.add(Number(r.ticket_id));
  }
  for (const r of resolutions) if (r.agent !== null) of(r.agent).tickets.add(Number(r.ticket_id));
  for (const m of await measurementsInRange(db, scope))
    if (m.name === 'firstResponse' && m.agentId !== null) of(m.agentId).firstResponses.push(m.calendarMs);
  for (const r of await ratingsInRange(db, scope))
    if (r.agent_id !== null) of(r.agent_id).scores.push(r.score);

  const ids = [...acc.keys()];
  const names = new Map<number, string>();
  if (ids.length > 0)
    for (const a of await db.selectFrom('agents').select(['id', 'name']).where('id', 'in', ids).execute())
      names.set(Number(a.id), a.name);
  const rows = ids.map((id) => {
    const a = acc.get(id)!;
    return {
      agentId: id,
      name: names.get(id) ?? '',
      handled: a.tickets.size,
      replies: a.replies,
      firstResponseMedianMs: summarize(a.firstResponses).medianMs,
      csat: { responses: a.scores.length, score: satisfaction(a.scores) },
    };
  });
  rows.sort((x, y) => y.handled - x.handled || x.name.localeCompare(y.name) || x.agentId - y.agentId);
  return { rows };
}
