import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { ComplianceOut, SlaReportOut } from '../../contract/reports.contract.ts';
import { rangeOf, type Scope } from './reports.scope.ts';
import { countMet } from './reports.stats.repository.ts';
import { countBreachedTickets, listBreaches } from './reports.tickets.repository.ts';

// SLA compliance per clock. The scheduler records one breach row per clock
// start in sla_events; a clock is breached in the period its due time falls
// in (read from sla_events: breaches are few), and met when it ended (the
// first response, the final resolution) within the range on a ticket whose
// plan sets that target and that never breached the clock (the facts' sla flag).

export type Compliance = z.output<typeof ComplianceOut>;

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
  const breachRows = await listBreaches(db, scope, BREACH_LIST_LIMIT);
  const breachedTickets = await countBreachedTickets(db, scope);

  const count = async (clock: keyof typeof TARGET_OF) =>
    compliance(await countMet(db, scope, TARGET_OF[clock], rangeOf(scope)), breachedTickets.get(clock) ?? 0);

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
