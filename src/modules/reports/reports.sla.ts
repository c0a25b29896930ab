import type { Db } from '../../db/database.ts';
import type { SlaClockName } from '../../db/schema.ts';
import { planRules, type SlaTargets } from '../sla/sla.plan.ts';
import { ticketFilter } from './reports.filter.ts';
import { measurementsInRange } from './reports.measures.ts';
import type { Scope } from './reports.query.ts';

// SLA compliance per clock. The scheduler records one breach row per clock
// start in sla_events; a clock is breached in the period its due time falls
// in, and met when it ended (the first response, the final resolution)
// within the range on a ticket whose plan sets that target and that never
// breached the clock.

export interface Compliance {
  met: number;
  breached: number;
  /** met / (met + breached) in percent, one decimal; null when nothing was due. */
  pct: number | null;
}

export interface Breach {
  number: string;
  subject: string;
  clock: SlaClockName;
  dueAt: number;
  at: number;
  department: string;
  agent: string | null;
}

export interface SlaReport {
  firstResponse: Compliance;
  resolution: Compliance;
  breaches: Breach[];
}

/** The breaches list stops here; the counts cover every breach. */
export const BREACH_LIST_LIMIT = 500;

const TARGET_OF = { first_response: 'firstResponse', resolution: 'resolution' } as const;

const compliance = (met: number, breached: number): Compliance => ({
  met,
  breached,
  pct: met + breached === 0 ? null : Math.round((met / (met + breached)) * 1000) / 10,
});

export async function slaReport(db: Db, scope: Scope): Promise<SlaReport> {
  const filter = ticketFilter(scope);
  const breachRows = await db
    .selectFrom('sla_events as s')
    .innerJoin('tickets as t', 't.id', 's.ticket_id')
    .innerJoin('departments as d', 'd.id', 't.department_id')
    .leftJoin('agents as a', 'a.id', 't.assignee_id')
    .select([
      's.ticket_id',
      's.clock',
      's.due_at',
      's.created_at',
      't.number',
      't.subject',
      'd.name as department',
      'a.name as agent',
    ])
    .where('s.stage', '=', 'breach')
    .where('s.due_at', '>=', scope.start)
    .where('s.due_at', '<', scope.end)
    .where(filter)
    .orderBy('s.due_at')
    .orderBy('s.id')
    .execute();

  const measured = (await measurementsInRange(db, scope)).filter(
    (m) => m.name === 'firstResponse' || m.name === 'resolution',
  );
  const ids = [...new Set(measured.map((m) => m.ticketId))];
  const targets = await targetsOf(db, ids);
  const everBreached = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('sla_events')
      .select(['ticket_id', 'clock'])
      .where('stage', '=', 'breach')
      .where('ticket_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) everBreached.add(`${Number(r.ticket_id)}:${r.clock}`);
  }

  const count = (clock: keyof typeof TARGET_OF) => {
    const name = TARGET_OF[clock];
    const met = measured.filter(
      (m) =>
        m.name === name &&
        targets.get(m.ticketId)?.[name] !== undefined &&
        !everBreached.has(`${m.ticketId}:${clock}`),
    ).length;
    const breached = new Set(breachRows.filter((b) => b.clock === clock).map((b) => Number(b.ticket_id)))
      .size;
    return compliance(met, breached);
  };

  return {
    firstResponse: count('first_response'),
    resolution: count('resolution'),
    breaches: breachRows.slice(0, BREACH_LIST_LIMIT).map((b) => ({
      number: b.number,
      subject: b.subject,
      clock: b.clock,
      dueAt: Number(b.due_at),
      at: Number(b.created_at),
      department: b.department,
      agent: b.agent,
    })),
  };
}

/** The SLA targets (minutes per clock) that apply to each ticket now: its plan at its priority level. */
async function targetsOf(db: Db, ids: number[]): Promise<Map<number, SlaTargets[string]>> {
  const plans = new Map<number, SlaTargets>();
  for (const row of await db.selectFrom('sla_plans').selectAll().execute())
    plans.set(Number(row.id), planRules(row).targets);
  const out = new Map<number, SlaTargets[string]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('tickets')
      .select(['id', 'sla_plan_id', 'priority_level'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const target =
        r.sla_plan_id === null ? undefined : plans.get(Number(r.sla_plan_id))?.[String(r.priority_level)];
      if (target) out.set(Number(r.id), target);
    }
  }
  return out;
}
