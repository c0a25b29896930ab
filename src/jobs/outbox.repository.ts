import type { Db } from '../db/database.ts';

export interface NewJob {
  type: string;
  payload: Record<string, unknown>;
  /** Epoch ms; defaults to now. */
  runAt?: number;
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * Adds jobs inside the caller's transaction, so they become visible to workers
 * only when the state change that caused them commits.
 */
export async function enqueue(db: Db, now: number, jobs: NewJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await db
    .insertInto('jobs')
    .values(
      jobs.map((j) => ({
        type: j.type,
        payload: JSON.stringify(j.payload),
        status: 'pending' as const,
        max_attempts: j.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        run_at: j.runAt ?? now,
        created_at: now,
      })),
    )
    .execute();
}
