import { z } from 'zod';

// The JSON answers of the reports (OpenAPI is generated from them, and the
// report functions return these types). Durations are milliseconds; a null
// means nothing was measured; percentages have one decimal.

const ms = z.number().int().nonnegative().nullable();
const count = z.number().int().nonnegative();
const pct = z.number().min(0).max(100).nullable();
const day = z.iso.date();

export const VolumeRowOut = z.object({
  period: day,
  created: count,
  resolved: count,
  closed: count,
  reopened: count,
  backlog: count,
});
export const VolumeOut = z.object({
  series: z.array(VolumeRowOut),
  totals: z.object({ created: count, resolved: count, closed: count, reopened: count }),
});

export const SummaryOut = z.object({ meanMs: ms, medianMs: ms, p90Ms: ms });
export const StatOut = z.object({ count, calendar: SummaryOut, business: SummaryOut });
export const SpeedRowOut = z.object({
  period: day,
  firstResponseMedianMs: ms,
  resolutionMedianMs: ms,
});
export const SpeedOut = z.object({
  firstResponse: StatOut,
  nextResponse: StatOut,
  resolution: StatOut,
  firstResolution: StatOut,
  series: z.array(SpeedRowOut),
});

export const ComplianceOut = z.object({ met: count, breached: count, pct });
export const BreachOut = z.object({
  number: z.string(),
  subject: z.string(),
  clock: z.enum(['first_response', 'next_response', 'resolution']),
  /** Epoch milliseconds. */
  dueAt: z.number().int(),
  at: z.number().int(),
  department: z.string(),
  agent: z.string().nullable(),
});
export const SlaReportOut = z.object({
  firstResponse: ComplianceOut,
  resolution: ComplianceOut,
  breaches: z.array(BreachOut),
});

export const AgentRowOut = z.object({
  agentId: z.number().int().positive(),
  name: z.string(),
  resolved: count,
  replies: count,
  firstResponseMedianMs: ms,
  csat: z.object({ responses: count, score: pct }),
});
export const AgentsOut = z.object({ rows: z.array(AgentRowOut) });

export const CsatCommentOut = z.object({
  number: z.string(),
  score: z.number().int().min(1).max(5),
  comment: z.string(),
  /** Epoch milliseconds. */
  at: z.number().int(),
  agent: z.string().nullable(),
});
export const CsatOut = z.object({
  sent: count,
  responses: count,
  responseRate: z.number().nonnegative().nullable(),
  score: pct,
  distribution: z.object({ '1': count, '2': count, '3': count, '4': count, '5': count }),
  comments: z.array(CsatCommentOut),
});

export type StatOut = z.output<typeof StatOut>;
export type VolumeOut = z.output<typeof VolumeOut>;
export type SpeedOut = z.output<typeof SpeedOut>;
export type SlaReportOut = z.output<typeof SlaReportOut>;
export type AgentsOut = z.output<typeof AgentsOut>;
export type CsatOut = z.output<typeof CsatOut>;
