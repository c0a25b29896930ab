import type { ReportFactsTable } from '../../db/schema.reports.ts';

// The duration rollup (report_hist): for each measure, clock, day and
// department, how many durations fell into each coarse bucket (eight fine
// buckets, so eight per doubling) and their sum. Kept by the same refresh that
// replaces a ticket's facts, as the difference between its old and new facts
// (computed here), in that transaction; remade from the facts after a rebuild
// (reports.facts.repository.ts).

export const CLOCK = { calendar: 1, business: 2 } as const;
/** Fine buckets per coarse one: coarse = fine >> 3. */
export const COARSE_SHIFT = 3;

export type HistFact = Pick<
  ReportFactsTable,
  'kind' | 'day' | 'department_id' | 'cal_bucket' | 'bus_bucket' | 'calendar_ms' | 'business_ms'
>;

export interface RollupDelta {
  key: [number, number, number, number, number];
  n: number;
  total: number;
}

/** How a refresh moves the rollup: per key, the change in count and in summed milliseconds. */
export function rollupDeltas(before: HistFact[], after: HistFact[]): RollupDelta[] {
  const out = new Map<string, RollupDelta>();
  const add = (f: HistFact, sign: 1 | -1) => {
    for (const [clock, bucket, ms] of [
      [CLOCK.calendar, f.cal_bucket, f.calendar_ms],
      [CLOCK.business, f.bus_bucket, f.business_ms],
    ] as const) {
      if (bucket === null || ms === null) continue;
      const key: RollupDelta['key'] = [
        Number(f.kind),
        clock,
        Number(f.day),
        Number(f.department_id),
        Number(bucket) >> COARSE_SHIFT,
      ];
      const id = key.join(':');
      const d = out.get(id) ?? { key, n: 0, total: 0 };
      d.n += sign;
      d.total += sign * Number(ms);
      out.set(id, d);
    }
  };
  for (const f of before) add(f, -1);
  for (const f of after) add(f, 1);
  // A fixed order, so two refreshes touching the same rows lock them in the same order (no deadlock).
  return [...out.values()]
    .filter((d) => d.n !== 0 || d.total !== 0)
    .sort((a, b) => {
      for (let i = 0; i < 5; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
      return 0;
    });
}
