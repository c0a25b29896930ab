import { z } from 'zod';
import { parseCalendar, type BusinessCalendar } from './sla.calendar.ts';

// An SLA plan as the clocks use it: targets per priority level (minutes of
// business time), the plan's business-hours calendar (24×7 without one) and
// what happens at the warning and at the breach.

const Minutes = z.number().int().positive().max(525_600);
export const Targets = z.record(
  z.string().regex(/^\d+$/, 'a priority level'),
  z.strictObject({
    firstResponse: Minutes.optional(),
    nextResponse: Minutes.optional(),
    resolution: Minutes.optional(),
  }),
);
export type SlaTargets = z.infer<typeof Targets>;

const Notify = z.enum(['assignee', 'team_lead', 'manager', 'department']);
export const EscalationAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('notify'), to: z.array(Notify).min(1) }),
  /** One step up the priority ladder (the targets of the new priority then apply). */
  z.strictObject({ type: z.literal('raise_priority') }),
  /** To this agent, or (null) to the department's manager. */
  z.strictObject({ type: z.literal('reassign'), agentId: z.number().int().positive().nullable() }),
]);
export type EscalationAction = z.infer<typeof EscalationAction>;

export const Escalation = z.strictObject({
  /** The warning fires when this share of a target has passed; null: no warning. */
  warnAtPercent: z.number().int().min(1).max(99).nullable().default(80),
  onWarning: z
    .array(EscalationAction)
    .max(10)
    .default([{ type: 'notify', to: ['assignee'] }]),
  onBreach: z
    .array(EscalationAction)
    .max(10)
    .default([{ type: 'notify', to: ['assignee', 'manager'] }]),
});
export type Escalation = z.infer<typeof Escalation>;

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
