import type { Db } from '../../db/database.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { rebuildFacts, refreshFacts } from './reports.facts.service.ts';
import { REBUILD_JOB, REFRESH_JOB } from './reports.refresh.service.ts';

/** The outbox jobs that keep the report facts (reports.facts.service.ts). */
export function reportHandlers(db: Db): Record<string, JobHandler> {
  return {
    [REFRESH_JOB]: async (payload) => {
      const { ticketIds } = payload as { ticketIds: number[] };
      await refreshFacts(db, ticketIds);
    },
    [REBUILD_JOB]: async () => void (await rebuildFacts(db)),
  };
}
