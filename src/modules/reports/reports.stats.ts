import type { z } from 'zod';
import type { SummaryOut } from './reports.schemas.ts';

// Percentiles use the nearest-rank method (the smallest value with at least
// p % of the values at or below it), so they are always a measured value and
// exact; the mean is rounded to the millisecond.

export type Summary = z.output<typeof SummaryOut>;

/** The 1-based rank of the p-th percentile among `count` sorted values. */
export const percentileRank = (count: number, p: number): number => Math.max(1, Math.ceil((p / 100) * count));
