import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { openDatabase, type DbHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { buildHttpApp } from './http/app.ts';
import { JobRunner } from './jobs/runner.ts';
import { systemClock } from './lib/clock.ts';
import type { Deps } from './lib/deps.ts';
import { ReferenceCache } from './modules/directory/reference-cache.ts';
import { mailHandlers } from './modules/mail/mail.handlers.ts';
import { startSearchIndexer } from './modules/tickets/tickets.search-index.ts';

export interface Running {
  handle: DbHandle;
  deps: Deps;
  http?: FastifyInstance;
  runner?: JobRunner;
  url?: string;
  stop(): Promise<void>;
}

/**
 * Starts what the role asks for: the HTTP server (web), the job runner
 * (worker), or both (all). Migrations run first; on PostgreSQL Kysely's
 * migrator takes a lock, so instances starting together do not collide.
 */
export async function startDeskline(config: Config): Promise<Running> {
  const handle = openDatabase(config.databaseUrl);
  await migrateToLatest(handle.db);
  const deps: Deps = {
    db: handle.db,
    clock: systemClock,
    reference: new ReferenceCache(handle.db, systemClock),
    files: { dir: config.dataDir },
  };

  let runner: JobRunner | undefined;
  if (config.role === 'all' || config.role === 'worker') {
    runner = new JobRunner({
      db: handle.db,
      clock: systemClock,
      handlers: mailHandlers({ db: handle.db, clock: systemClock, publicUrl: config.publicUrl }),
    });
    deps.wakeJobs = () => runner?.wake();
    runner.start();
  }
  const indexer =
    config.role === 'all' || config.role === 'worker' ? startSearchIndexer(handle.db) : undefined;

  let http: FastifyInstance | undefined;
  if (config.role === 'all' || config.role === 'web') {
    http = await buildHttpApp(deps, config);
    await http.listen({ port: config.port, host: config.host });
  }

  return {
    handle,
    deps,
    ...(http ? { http, url: config.publicUrl } : {}),
    ...(runner ? { runner } : {}),
    async stop() {
      await http?.close();
      await runner?.stop();
      await indexer?.stop();
      await handle.close();
    },
  };
}
