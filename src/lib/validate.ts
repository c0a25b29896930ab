import type { z } from 'zod';
import { AppError } from './errors.ts';

/** Parses input at a use-case boundary; a failure is a 422 with every problem listed. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = details[0];
  throw new AppError(
    'validation_failed',
    422,
    first ? `${first.path || 'input'}: ${first.message}` : 'invalid input',
    details,
  );
}
