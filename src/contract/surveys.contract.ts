import { z } from 'zod';

// The survey API's edge: input and output shapes (OpenAPI is generated from them).

export const Answer = z.strictObject({
  score: z.number().int(),
  comment: z.string().trim().max(2000).optional(),
});

export const SurveyOut = z.object({
  ticket: z.object({
    number: z.string(),
    subject: z.string(),
    state: z.enum(['open', 'pending', 'resolved', 'closed']),
  }),
  scale: z.enum(['five', 'binary']),
  rating: z.object({ score: z.number(), comment: z.string().nullable() }).nullable(),
  changeableUntil: z.string().nullable(),
});
export const TokenParams = z.strictObject({ token: z.string().min(20).max(100) });
export type SurveyOut = z.output<typeof SurveyOut>;
