import { z } from 'zod';
import { MINUTE } from '../../lib/clock.ts';

// SLA targets per priority level, in minutes. Business-hours calendars come with
// the SLA work; until then every plan counts calendar time (24×7).
const Targets = z.record(
  z.string(),
  z.object({
    firstResponse: z.number().positive().optional(),
    nextResponse: z.number().positive().optional(),
    resolution: z.number().positive().optional(),
  }),
);
export type SlaTargets = z.infer<typeof Targets>;

export const parseTargets = (json: string): SlaTargets => Targets.parse(JSON.parse(json));

/** When the ticket's next SLA clock runs out: first response until answered, then resolution. */
export function slaDueAt(
  targets: SlaTargets,
  priorityLevel: number,
  t: { created_at: number; first_response_at: number | null },
): number | null {
  const target = targets[String(priorityLevel)];
  if (!target) return null;
  if (t.first_response_at === null && target.firstResponse)
    return t.created_at + target.firstResponse * MINUTE;
  return target.resolution ? t.created_at + target.resolution * MINUTE : null;
}
