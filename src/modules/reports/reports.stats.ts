// Summaries of a set of durations. Percentiles use the nearest-rank method
// (the smallest value with at least p % of the values at or below it), so
// they are always a measured value and exact.

export interface Summary {
  meanMs: number | null;
  medianMs: number | null;
  p90Ms: number | null;
}

/** The 1-based rank of the p-th percentile among `count` sorted values. */
export const percentileRank = (count: number, p: number): number => Math.max(1, Math.ceil((p / 100) * count));

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[percentileRank(sorted.length, p) - 1]!;
}

export function summarize(values: number[]): Summary {
  if (values.length === 0) return { meanMs: null, medianMs: null, p90Ms: null };
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    meanMs: Math.round(sum / sorted.length),
    medianMs: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
  };
}
