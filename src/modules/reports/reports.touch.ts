import type { Db } from '../../db/database.ts';
import { enqueue } from '../outbox/outbox.service.ts';

// Called wherever a ticket's thread or events change, inside that change's
// transaction: the reports.refresh job it queues becomes visible when the
// change commits, so it always reads the committed ticket. One job per ticket
// per transaction (a reply writes an entry and events in the same one).

export const REFRESH_JOB = 'reports.refresh';
/** Remakes every ticket's facts (queued when the desk's zone changes). */
export const REBUILD_JOB = 'reports.rebuild';

const touched = new WeakMap<Db, Set<number>>();

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
