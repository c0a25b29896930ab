import { z } from 'zod';

export const DashboardOut = z.object({
  myOpen: z.number().int(),
  dueToday: z.number().int(),
  overdue: z.number().int(),
  unassignedInMyDepartments: z.number().int(),
  createdToday: z.number().int(),
  resolvedToday: z.number().int(),
  csatThisWeek: z.object({
    responses: z.number().int(),
    /** Percent of satisfied answers, one decimal; null without answers. */
    score: z.number().nullable(),
  }),
  /** Counts stop at `cap`; the names of those that reached it ("1k+"). */
  cap: z.number().int(),
  capped: z.array(z.string()),
});
export type DashboardOut = z.output<typeof DashboardOut>;
