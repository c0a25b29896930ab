import type { AnyDb } from './helpers.ts';

// The covering indexes of report_facts, made by 0009 and remade by 0010 with
// more filter columns: a report reads (kind, day) and (kind, bucket, day)
// ranges of them, and the filter columns let it skip the table.

const INDEXES = ['report_facts_calendar', 'report_facts_cal_bucket', 'report_facts_bus_bucket'];

/** (Re)make the three fact indexes with these filter columns. */
export async function factIndexes(db: AnyDb, filters: readonly string[]): Promise<void> {
  const s = db.schema;
  for (const name of INDEXES) await s.dropIndex(name).ifExists().execute();
  await s
    .createIndex('report_facts_calendar')
    .on('report_facts')
    .columns([
      'kind',
      'day',
      'cal_bucket',
      'calendar_ms',
      ...filters,
      'actor_id',
      'sla',
      'bus_bucket',
      'business_ms',
    ])
    .execute();
  // Bucket first: the facts of a few duration buckets over a range of days are
  // a few short ranges of these (an exact percentile's second read).
  for (const [name, bucket, value] of [
    ['report_facts_cal_bucket', 'cal_bucket', 'calendar_ms'],
    ['report_facts_bus_bucket', 'bus_bucket', 'business_ms'],
  ] as const)
    await s
      .createIndex(name)
      .on('report_facts')
      .columns(['kind', bucket, 'day', value, ...filters])
      .execute();
}
