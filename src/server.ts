import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { MAINTENANCE_TIMEOUTS, openDatabase, type DbHandle } from './db/database.ts';
import { migrateWhenAvailable } from './db/database.startup.ts';
import { buildHttpApp } from './http/app.ts';
import { Readiness } from './http/readiness.ts';
import { startDraining } from './http/drain.ts';
import { JobRunner } from './jobs/runner.ts';
import { Scheduler } from './jobs/scheduler.ts';
import { assignBacklog } from './modules/routing/routing.backlog.service.ts';
import { systemClock } from './lib/clock.ts';
import { settlesWithin } from './lib/deadline.ts';
import type { Deps } from './lib/deps.ts';
import type { Log } from './lib/log.ts';
import { ReferenceCache } from './modules/directory/reference-cache.ts';
import { mailHandlers } from './modules/mail/mail.jobs.ts';
import { reportHandlers } from './modules/reports/reports.jobs.ts';
import { runnable, type JobHandlers } from './modules/outbox/outbox.registry.ts';
import { startSearchIndexer } from './modules/tickets/tickets.search-index.repository.ts';
import { startImapPolling } from './modules/mail/mail.imap-poller.ts';
import { startSmtpListener, type SmtpListener } from './modules/mail/mail.smtp-listener.ts';
import { smtpTransport, type MailTransport } from './modules/mail/mail.transport.ts';

export interface Running {
  handle: DbHandle;
  deps: Deps;
  http?: FastifyInstance;
  runner?: JobRunner;
  url?: string;
  /** The inbound SMTP listener's port, when it runs. */
  smtpPort?: number;
  /** Graceful shutdown within config.shutdownTimeoutMs (see shutDown); calling it again returns the same promise. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * Work to finish before the desk takes any (the demo seed), named in plain
   * words for /readyz. The HTTP listener is up meanwhile, but only the health
   * checks answer (503 until ready); the worker, the scheduler and the SMTP
   * listener start after it.
   */
  prepare?: { what: string; run: (deps: Deps) => Promise<unknown> };
}

/**
 * Starts what the role asks for: the HTTP server (web), the job runner
 * (worker), or both (all). The HTTP server listens first, so /readyz answers
 * 503 (and the API 503 with Retry-After) while the database is not there yet;
 * then the migrations run, waiting out an unavailable database with back-off
 * (on PostgreSQL Kysely's migrator takes a lock, so instances starting
 * together do not collide); the rest starts once they are applied.
 */
export async function startDeskline(config: Config, log: Log, options: StartOptions = {}): Promise<Running> {
  const dbLog = log.child({ module: 'database' });
  const handle = openDatabase(config.databaseUrl, { timeouts: config.databaseTimeouts, log: dbLog });
  const deps: Deps = {
    db: handle.db,
    clock: systemClock,
    log,
    reference: new ReferenceCache(handle.db, systemClock),
    files: { dir: config.dataDir },
  };

  const worker = config.role === 'all' || config.role === 'worker';
  const web = config.role === 'all' || config.role === 'web';
  // Listening comes first, so /healthz answers; /readyz says 503 (and the API
  // 503 with Retry-After) until the database is there, the desk is prepared
  // and everything below has started.
  const readiness = new Readiness();
  readiness.begin('applying database migrations');
  let http: FastifyInstance | undefined;
  if (web) {
    http = await buildHttpApp(deps, config, readiness);
    await http.listen({ port: config.port, host: config.host });
  }
  await migrateOnStart(config, handle, dbLog, () => readiness.begin('waiting for the database', 'database'));
  readiness.begin(options.prepare?.what ?? 'starting its worker and listeners');
  if (options.prepare) {
    await options.prepare.run(deps);
    // Whatever was read before or during it (no departments yet) is stale now.
    deps.reference?.invalidate();
  }

  const transport = worker && config.smtpUrl ? smtpTransport(config.smtpUrl) : undefined;
  const runner = worker ? startRunner(deps, config, transport) : undefined;
  const indexer = worker ? startSearchIndexer(handle.db, log.child({ module: 'search' })) : undefined;
  const scheduler = config.role === 'all' || config.role === 'scheduler' ? new Scheduler(deps) : undefined;
  scheduler?.start();
  const imap = worker ? startImapPolling(deps) : undefined;

  let smtp: SmtpListener | undefined;
  if (web && config.smtpListenPort > 0)
    smtp = await startSmtpListener(deps, { port: config.smtpListenPort, host: config.host });
  readiness.done();

  let stopping: Promise<void> | undefined;
  const parts: Parts = { handle, http, smtp, imap, scheduler, runner, transport, indexer };
  return {
    handle,
    deps,
    ...(http ? { http, url: config.publicUrl } : {}),
    ...(runner ? { runner } : {}),
    ...(smtp ? { smtpPort: smtp.port } : {}),
    stop: () => (stopping ??= shutDown(parts, config.shutdownTimeoutMs)),
  };
}

/** The job runner, with a handler for every registered job type (a missing one does not compile). */
function startRunner(deps: Deps, config: Config, transport: MailTransport | undefined): JobRunner {
  const handlers: JobHandlers = {
    'assign.backlog': async () => void (await assignBacklog(deps)),
    ...reportHandlers(deps.db),
    ...mailHandlers({
      db: deps.db,
      clock: deps.clock,
      publicUrl: config.publicUrl,
      dataDir: config.dataDir,
      ...(deps.reference ? { reference: deps.reference } : {}),
      ...(transport ? { transport } : {}),
    }),
  };
  const runner = new JobRunner({
    db: deps.db,
    clock: deps.clock,
    handlers: runnable(handlers),
    log: deps.log.child({ module: 'jobs' }),
  });
  deps.wakeJobs = () => runner.wake();
  runner.start();
  return runner;
}

/** Migrations may build indexes on big tables: on PostgreSQL they get a connection without the statement limit. */
async function migrateOnStart(
  config: Config,
  serving: DbHandle,
  log: Log,
  onUnavailable: () => void,
): Promise<void> {
  if (serving.dialect === 'sqlite') return migrateWhenAvailable(serving.db, { log, onUnavailable });
  const maintenance = openDatabase(config.databaseUrl, { timeouts: MAINTENANCE_TIMEOUTS, poolSize: 1, log });
  try {
    await migrateWhenAvailable(maintenance.db, { log, onUnavailable });
  } finally {
    await maintenance.close();
  }
}

/** Closing the database after the deadline waits at most this long (a query may still hold a connection). */
const CLOSE_DB_MS = 2_000;

interface Parts {
  handle: DbHandle;
  http: FastifyInstance | undefined;
  smtp: SmtpListener | undefined;
  imap: { stop(): Promise<void> } | undefined;
  scheduler: Scheduler | undefined;
  runner: JobRunner | undefined;
  transport: { close(): void } | undefined;
  indexer: { stop(): Promise<void> } | undefined;
}

/**
 * Every listener stops taking work at the same moment: HTTP answers 503 to new
 * requests (also on kept-alive connections) and its live streams end, SMTP
 * answers 421 to sessions not in the middle of a message, the IMAP poller,
 * scheduler and job runner start nothing new. What is under way gets
 * `timeoutMs` in all; then HTTP connections are cut, SMTP sessions get 421,
 * and jobs still running go back to the queue for another process.
 */
async function shutDown(p: Parts, timeoutMs: number): Promise<void> {
  const server = p.http?.server;
  if (p.http) startDraining(p.http);
  // server.close() drops the connections idle at that moment; these end later
  // (answers in flight, live streams just ended), and would otherwise wait for the keep-alive timeout.
  const idleReaper = setInterval(() => server?.closeIdleConnections(), 100);
  const drained = Promise.allSettled([
    p.http?.close(),
    p.smtp?.close(timeoutMs),
    p.imap?.stop(),
    p.scheduler?.stop(),
    p.runner?.stop(timeoutMs),
    p.indexer?.stop(),
  ]);
  if (!(await settlesWithin(drained, timeoutMs))) server?.closeAllConnections();
  // The runner has finished or released its jobs: a send still waiting on the relay is abandoned.
  p.transport?.close();
  await settlesWithin(drained, CLOSE_DB_MS);
  clearInterval(idleReaper);
  await settlesWithin(p.handle.close(), CLOSE_DB_MS);
}
