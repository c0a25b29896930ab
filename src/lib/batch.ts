import { AppError } from './errors.ts';

/**
 * Runs one item of a batch (a scheduler pass: one ticket, its own
 * transaction). A refusal (a 4xx: already closed, no longer due, assigned
 * meanwhile) is a race lost to another process, not an error: undefined.
 */
export async function unlessRefused<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return undefined;
    throw err;
  }
}
