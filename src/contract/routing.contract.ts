import { z } from 'zod';

// Routing as admins watch it: what a rule set would do with a request (the
// preview), and the requests rules refused.

/** What the rules would do: each field is set only when some rule sets it. */
export const RoutingOutcomeOut = z.object({
  matched: z.array(z.object({ id: z.number(), name: z.string() })),
  departmentId: z.number().optional(),
  helpTopicId: z.number().optional(),
  priorityId: z.number().optional(),
  slaPlanId: z.number().optional(),
  teamId: z.number().optional(),
  agentId: z.number().optional(),
  statusId: z.number().optional(),
  tags: z.array(z.string()),
  collaborators: z.array(z.string()),
  replies: z.array(z.object({ ruleId: z.number(), body: z.string() })),
  rejected: z.object({ ruleId: z.number(), name: z.string(), reason: z.string() }).nullable(),
  errors: z.array(z.object({ ruleId: z.number(), condition: z.number(), code: z.string() })),
});

/** The preview's answer: the outcome, and each rule's conditions as they held (in the editor's order). */
export const RoutingPreviewOut = RoutingOutcomeOut.extend({
  rules: z.array(
    z.object({ id: z.number(), name: z.string(), matched: z.boolean(), conditions: z.array(z.boolean()) }),
  ),
});

export const RejectionOut = z.object({
  id: z.number(),
  channel: z.string(),
  ruleId: z.number().nullable(),
  rule: z.string(),
  reason: z.string(),
  requester: z.string(),
  subject: z.string(),
  payload: z.unknown(),
  createdAt: z.string(),
});

export type RoutingOutcomeOut = z.output<typeof RoutingOutcomeOut>;
export type RoutingPreviewOut = z.output<typeof RoutingPreviewOut>;
export type RejectionOut = z.output<typeof RejectionOut>;
