import type { Db } from '../../db/database.ts';
import type { JobHandlers } from '../outbox/outbox.registry.ts';
import { rebuildFacts, refreshFacts } from './reports.facts.service.ts';
import { REBUILD_JOB, REFRESH_JOB } from './reports.refresh.service.ts';

/** The outbox jobs that keep the report facts (reports.facts.service.ts). */
export function reportHandlers(db: Db): Pick<JobHandlers, typeof REFRESH_JOB | typeof REBUILD_JOB> {
  return {
    [REFRESH_JOB]: ({ ticketIds }) => refreshFacts(db, ticketIds),
    [REBUILD_JOB]: async () => void (await rebuildFacts(db)),
  };
}
