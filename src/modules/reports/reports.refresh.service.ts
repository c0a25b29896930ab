import type { Db } from '../../db/database.ts';
import { enqueue } from '../outbox/outbox.service.ts';

// The jobs that keep report_facts in step with the tickets, as the changes
// queue them: reports.refresh recomputes the facts of the tickets a change
// touched, reports.rebuild all of them (a new desk zone). What they run:
// reports.facts.service.ts (through reports.jobs.ts).

export const REFRESH_JOB = 'reports.refresh';
/** Remakes every ticket's facts (queued when the desk's zone changes). */
export const REBUILD_JOB = 'reports.rebuild';

const touched = new WeakMap<Db, Set<number>>();

/**
 * Called wherever a ticket's thread or events change, inside that change's
 * transaction: the reports.refresh job it queues becomes visible when the
 * change commits, so it always reads the committed ticket. One job per ticket
 * per transaction (a reply writes an entry and events in the same one).
 */
export async function touchReports(trx: Db, ticketIds: number[], now: number): Promise<void> {
  let fresh = [...new Set(ticketIds)];
  if (trx.isTransaction) {
    let seen = touched.get(trx);
    if (!seen) touched.set(trx, (seen = new Set()));
    fresh = fresh.filter((id) => !seen.has(id));
    for (const id of fresh) seen.add(id);
  }
  if (fresh.length > 0) await enqueue(trx, now, [{ type: REFRESH_JOB, payload: { ticketIds: fresh } }]);
}
