import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { ALWAYS_OPEN, type BusinessCalendar } from '../sla/sla.calendar.ts';
import { planRules } from '../sla/sla.plan.ts';
import { ticketFilter } from './reports.filter.ts';
import type { Scope } from './reports.query.ts';

// Durations measured on each ticket from its thread and events (see
// docs/REPORTS.md for the definitions). A measurement belongs to the period
// in which it ends: a first response to the day of the reply.

export type MeasureName = 'firstResponse' | 'nextResponse' | 'resolution' | 'firstResolution';

export interface Measurement {
  name: MeasureName;
  ticketId: number;
  agentId: number | null;
  /** When it ended (the reply, the resolution). */
  at: number;
  calendarMs: number;
  businessMs: number;
}

export interface TicketRow {
  id: number;
  created_at: number;
  resolved_at: number | null;
  state: string;
  sla_plan_id: number | null;
  assignee_id: number | null;
}
export interface EntryRow {
  ticket_id: number;
  kind: string;
  author_agent_id: number | null;
  created_at: number;
}
export interface LeftWorkRow {
  ticket_id: number;
  created_at: number;
}

/** Every measurement of one ticket, in any period. Entries and events in time order. */
export function measureTicket(
  t: TicketRow,
  entries: EntryRow[],
  leftWork: LeftWorkRow[],
  calendar: BusinessCalendar,
): Measurement[] {
  const out: Measurement[] = [];
  const add = (name: MeasureName, from: number, to: number, agentId: number | null) =>
    out.push({
      name,
      ticketId: t.id,
      agentId,
      at: to,
      calendarMs: Math.max(0, to - from),
      businessMs: calendar.between(from, to),
    });
  let answered = false;
  let waiting: number | null = null;
  for (const e of entries) {
    if (e.kind === 'reply' && e.author_agent_id !== null) {
      if (!answered) add('firstResponse', t.created_at, e.created_at, e.author_agent_id);
      else if (waiting !== null) add('nextResponse', waiting, e.created_at, e.author_agent_id);
      answered = true;
      waiting = null;
    } else if (e.kind === 'message' && answered && waiting === null) waiting = e.created_at;
  }
  const first = leftWork[0];
  if (first) add('firstResolution', t.created_at, first.created_at, t.assignee_id);
  if ((t.state === 'resolved' || t.state === 'closed') && t.resolved_at !== null)
    add('resolution', t.created_at, t.resolved_at, t.assignee_id);
  return out;
}

const CHUNK = 500;
const num = (v: unknown) => Number(v);

/** Measurements of the tickets in scope that end inside the range, read from the raw tables. */
export async function measurementsInRange(db: Db, scope: Scope): Promise<Measurement[]> {
  const filter = ticketFilter(scope);
  const inRange = (col: string) =>
    sql<boolean>`${sql.ref(col)} >= ${scope.start} and ${sql.ref(col)} < ${scope.end}`;
  const ids = new Set<number>();
  const replied = await db
    .selectFrom('thread_entries as x')
    .innerJoin('tickets as t', 't.id', 'x.ticket_id')
    .select('t.id')
    .distinct()
    .where('x.kind', '=', 'reply')
    .where(inRange('x.created_at'))
    .where(filter)
    .execute();
  const resolved = await db
    .selectFrom('ticket_events as e')
    .innerJoin('tickets as t', 't.id', 'e.ticket_id')
    .select('t.id')
    .distinct()
    .where('e.type', 'in', ['resolved', 'closed'])
    .where(inRange('e.created_at'))
    .where(filter)
    .execute();
  for (const r of [...replied, ...resolved]) ids.add(num(r.id));

  const plans = new Map<number, BusinessCalendar>();
  for (const row of await db.selectFrom('sla_plans').selectAll().execute())
    plans.set(num(row.id), planRules(row).calendar);

  const out: Measurement[] = [];
  const all = [...ids];
  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    const tickets = await db
      .selectFrom('tickets')
      .select(['id', 'created_at', 'resolved_at', 'state', 'sla_plan_id', 'assignee_id'])
      .where('id', 'in', chunk)
      .execute();
    const entries = await db
      .selectFrom('thread_entries')
      .select(['ticket_id', 'kind', 'author_agent_id', 'created_at'])
      .where('ticket_id', 'in', chunk)
      .where('kind', 'in', ['message', 'reply'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const events = await db
      .selectFrom('ticket_events as e')
      .select(['e.ticket_id', 'e.created_at'])
      .where('e.ticket_id', 'in', chunk)
      .where(LEFT_WORK)
      .orderBy('e.created_at')
      .orderBy('e.id')
      .execute();
    const byTicket = <R extends { ticket_id: number }>(rows: R[]) => {
      const m = new Map<number, R[]>();
      for (const r of rows) {
        const k = num(r.ticket_id);
        const list = m.get(k);
        if (list) list.push(r);
        else m.set(k, [r]);
      }
      return m;
    };
    const entriesOf = byTicket(entries);
    const eventsOf = byTicket(events);
    for (const raw of tickets) {
      const t: TicketRow = {
        ...raw,
        id: num(raw.id),
        created_at: num(raw.created_at),
        resolved_at: raw.resolved_at === null ? null : num(raw.resolved_at),
        sla_plan_id: raw.sla_plan_id === null ? null : num(raw.sla_plan_id),
        assignee_id: raw.assignee_id === null ? null : num(raw.assignee_id),
      };
      const calendar = (t.sla_plan_id !== null && plans.get(t.sla_plan_id)) || ALWAYS_OPEN;
      const measured = measureTicket(
        t,
        (entriesOf.get(t.id) ?? []).map((e) => ({
          ...e,
          created_at: num(e.created_at),
          author_agent_id: e.author_agent_id === null ? null : num(e.author_agent_id),
        })),
        (eventsOf.get(t.id) ?? []).map((e) => ({ ticket_id: t.id, created_at: num(e.created_at) })),
        calendar,
      );
      for (const m of measured) if (m.at >= scope.start && m.at < scope.end) out.push(m);
    }
  }
  return out;
}

// Events written by tickets.steps.ts stateChange: data is JSON.stringify({ before: { state, … }, … }),
// so the state the ticket left is a fixed prefix. A close straight from open/pending also resolves it.
export const LEFT_WORK = sql<boolean>`(e.type = 'resolved' or (e.type = 'closed' and (e.data like '{"before":{"state":"open"%' or e.data like '{"before":{"state":"pending"%')))`;
