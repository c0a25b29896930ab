import { z } from 'zod';
import { LocalDate as DayInRange } from './instant.contract.ts';
import { TimeZone } from './settings.contract.ts';

// SLA plans as admins write them: targets per priority level (minutes of
// business time), the business-hours calendar and the escalation at the
// warning and the breach. The clocks that read them are src/modules/sla.

const DAY = 86_400_000;

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

const HHMM = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** NaN for malformed times, so refinements below can leave those to `Time` to report. */
export const toMinutes = (hhmm: string): number =>
  HHMM.test(hhmm) ? Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)) : NaN;

const Time = z.string().regex(HHMM, "expected 'HH:MM'");

// zod still runs this refinement after Time failed, hence the NaN pass.
const Interval = z.tuple([Time, Time]).refine(([start, end]) => {
  const [s, e] = [toMinutes(start), toMinutes(end)];
  return Number.isNaN(s) || Number.isNaN(e) || s < e;
}, 'start must be before end');

/** Sorted by start; pairs may touch (12:00–13:00, 13:00–17:00) but not overlap. */
function disjoint(pairs: readonly (readonly [string, string])[]): boolean {
  const sorted = pairs
    .map(([s, e]) => [toMinutes(s), toMinutes(e)] as const)
    .filter(([s, e]) => !Number.isNaN(s) && !Number.isNaN(e)) // reported by Time already
    .sort((a, b) => a[0] - b[0]);
  return sorted.every((p, i) => i === 0 || p[0] >= sorted[i - 1]![1]);
}

const DayHours = z.array(Interval).refine(disjoint, 'intervals of one day must not overlap').optional();

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export const dayNumber = (iso: string): number =>
  Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY;

/** Validates a real calendar date too: '2026-02-30' is rejected, not rolled over. */
const LocalDate = DayInRange.refine((s) => {
  const t = dayNumber(s) * DAY; // NaN when the pattern failed, which is reported already
  return !Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) === s;
}, 'no such date');

export const CalendarSpec = z
  .object({
    timezone: TimeZone,
    // Strict, so that a misspelt day ('monday') fails instead of silently meaning "closed".
    hours: z.strictObject({
      mon: DayHours,
      tue: DayHours,
      wed: DayHours,
      thu: DayHours,
      fri: DayHours,
      sat: DayHours,
      sun: DayHours,
    }),
    holidays: z.array(LocalDate).default([]),
  })
  .refine((s) => Object.values(s.hours).some((d) => d !== undefined && d.length > 0), {
    message: 'calendar has no business hours',
    path: ['hours'],
  });
export type CalendarSpec = z.infer<typeof CalendarSpec>;
export type CalendarSpecInput = z.input<typeof CalendarSpec>;

export const SlaPlanOut = z.object({
  id: z.number(),
  name: z.string(),
  targets: Targets,
  calendar: CalendarSpec.nullable(),
  escalation: Escalation,
});
export type SlaPlanOut = z.output<typeof SlaPlanOut>;
