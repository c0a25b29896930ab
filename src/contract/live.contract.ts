import { z } from 'zod';

// Live collaboration: who else has a ticket open, and what they do there.

export const Activity = z.enum(['viewing', 'replying']);
export const PresenceIn = z.strictObject({ activity: Activity });
export const PresenceOut = z.object({
  others: z.array(z.object({ agentId: z.number(), name: z.string(), activity: Activity })),
});
export type PresenceOut = z.output<typeof PresenceOut>;
