import type { Db } from '../../db/database.ts';
import type { NewJob } from '../outbox/outbox.registry.ts';
import { enqueue } from '../outbox/outbox.service.ts';

// The jobs that keep report_facts in step with the tickets, as the changes
// queue them: reports.refresh recomputes the facts of the tickets a change
// touched, reports.rebuild all of them (a new desk zone). What they run:
// reports.facts.service.ts (through reports.jobs.ts).

export const REFRESH_JOB = 'reports.refresh';
/** Remakes every ticket's facts (queued when the desk's zone changes). */
export const REBUILD_JOB = 'reports.rebuild';

/**
 * Queues the refresh of the tickets' report facts, inside the transaction of
 * the change that made them stale: the job becomes visible when the change
 * commits, so it always reads the committed ticket. A use case asks once, with
 * every ticket it changed (see changesReportFacts in tickets.events.ts).
 */
export async function touchReports(trx: Db, ticketIds: number[], now: number): Promise<void> {
  if (ticketIds.length > 0) await enqueue(trx, now, [refreshJob(ticketIds)]);
}

/** The refresh job itself, for a change that queues it with its other jobs. */
export const refreshJob = (ticketIds: number[]): NewJob => ({
  type: REFRESH_JOB,
  payload: { ticketIds: [...new Set(ticketIds)] },
});
