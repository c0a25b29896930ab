import { Escalation, Targets, type SlaTargets } from '../../contract/sla.contract.ts';
import { parseCalendar, type BusinessCalendar } from './sla.calendar.ts';

// An SLA plan as the clocks use it: targets per priority level (minutes of
// business time), the plan's business-hours calendar (24×7 without one) and
// what happens at the warning and at the breach.

export interface SlaPlanRow {
  id: number;
  name: string;
  targets: string;
  calendar: string | null;
  escalation: string | null;
}

export interface SlaPlanRules {
  id: number;
  targets: SlaTargets;
  calendar: BusinessCalendar;
  escalation: Escalation;
}

// Parsed once per distinct plan: snapshots are re-read every few seconds (and
// per use case without a cache), plans change rarely.
const parsed = new Map<string, SlaPlanRules>();
const byRow = new WeakMap<SlaPlanRow, SlaPlanRules>();

export function planRules(row: SlaPlanRow): SlaPlanRules {
  const known = byRow.get(row);
  if (known) return known;
  const key = `${row.id}\u0000${row.targets}\u0000${row.calendar}\u0000${row.escalation}`;
  let rules = parsed.get(key);
  if (!rules) {
    rules = {
      id: row.id,
      targets: Targets.parse(JSON.parse(row.targets)),
      calendar: parseCalendar(row.calendar),
      escalation: Escalation.parse(row.escalation ? JSON.parse(row.escalation) : {}),
    };
    if (parsed.size >= 1000) parsed.clear();
    parsed.set(key, rules);
  }
  byRow.set(row, rules);
  return rules;
}
