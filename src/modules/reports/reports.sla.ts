import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { ticketFilter } from './reports.filter.ts';
import type { Scope } from './reports.query.ts';
import { countMet } from './reports.read.ts';
import type { BreachOut, ComplianceOut, SlaReportOut } from './reports.schemas.ts';

// SLA compliance per clock. The scheduler records one breach row per clock
// start in sla_events; a clock is breached in the period its due time falls
// in (read from sla_events: breaches are few), and met when it ended (the
// first response, the final resolution) within the range on a ticket whose
// plan sets that target and that never breached the clock (the facts' sla flag).

export type Compliance = z.output<typeof ComplianceOut>;

export type Breach = z.output<typeof BreachOut>;

export type SlaReport = z.output<typeof SlaReportOut>;

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
    .limit(BREACH_LIST_LIMIT)
    .execute();
  const breachedTickets = await db
    .selectFrom('sla_events as s')
    .innerJoin('tickets as t', 't.id', 's.ticket_id')
    .select(['s.clock', sql<string | number>`count(distinct s.ticket_id)`.as('n')])
    .where('s.stage', '=', 'breach')
    .where('s.due_at', '>=', scope.start)
    .where('s.due_at', '<', scope.end)
    .where(filter)
    .groupBy('s.clock')
    .execute();

  const count = async (clock: keyof typeof TARGET_OF) =>
    compliance(
      await countMet(db, scope, TARGET_OF[clock]),
      Number(breachedTickets.find((b) => b.clock === clock)?.n ?? 0),
    );

  return {
    firstResponse: await count('first_response'),
    resolution: await count('resolution'),
    breaches: breachRows.map((b) => ({
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
