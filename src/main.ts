import { Command, Option } from 'commander';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type DbHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrator.ts';
import { systemClock } from './lib/clock.ts';
import type { Deps } from './lib/deps.ts';
import { AppError } from './lib/errors.ts';
import { createLog } from './lib/log.ts';
import type { ApiScope } from './modules/auth/apikeys.service.ts';

// The `deskline` command. Each subcommand opens the database named by
// DATABASE_URL (SQLite under ./data by default), does its work and exits.
// Subcommands import what they use when they run: `mail pipe` starts once per
// message an MTA delivers, and must not pay for loading the web server.
// What a command tells its user goes to stdout through `print`; the log
// (LOG_LEVEL, JSON on stderr) is for operators.

const collect = (value: string, previous: string[]) => [...previous, value];

/** A line of the command's own output (people and scripts read it: the last line of `apikey create` is the key). */
const print = (text: string) => void process.stdout.write(`${text}\n`);
/** Progress on one line, rewritten in place. */
const progress = (text: string) => void process.stdout.write(`\r  ${text}`);

async function withDatabase<T>(
  work: (handle: DbHandle, deps: Deps, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const log = createLog(config.logLevel).child({ module: 'cli' });
  const handle = openDatabase(config.databaseUrl, { log: log.child({ module: 'database' }) });
  try {
    await migrateToLatest(handle.db);
    return await work(
      handle,
      { db: handle.db, clock: systemClock, log, files: { dir: config.dataDir } },
      config,
    );
  } finally {
    await handle.close();
  }
}

async function serve(options: { demo?: boolean; role?: Config['role'] }): Promise<void> {
  const config = { ...loadConfig(), ...(options.role ? { role: options.role } : {}) };
  const { startDeskline } = await import('./server.ts');
  const { seedDemo } = await import('./seed/demo.ts');
  // The demo desk is seeded before the desk takes work: a ticket posted the
  // moment the welcome line shows must find its department.
  const running = await startDeskline(
    config,
    createLog(config.logLevel),
    options.demo
      ? {
          prepare: {
            what: 'seeding the demo desk',
            run: (deps) => seedDemo(deps.db, systemClock.now(), deps.log.child({ module: 'seed' })),
          },
        }
      : {},
  );
  const shutdown = async (signal: NodeJS.Signals) => {
    const stopping = running.stop(); // new work is refused from here on
    print(`Stopping (${signal}): finishing work in flight for up to ${config.shutdownTimeoutMs / 1000} s.`);
    await stopping;
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (options.demo) await printWelcome(config, running.smtpPort);
}

async function printWelcome(config: Config, smtpPort: number | undefined): Promise<void> {
  const { DEMO_LOGINS } = await import('./seed/demo-reference.ts');
  const lines = [
    '',
    `  Deskline is running at ${config.publicUrl}`,
    `  Database: ${config.databaseUrl.replace(/\/\/[^@]*@/, '//…@')}`,
    '',
    '  Demo logins:',
    ...DEMO_LOGINS.map((l) => `    ${l.role.padEnd(9)} ${l.email.padEnd(24)} ${l.password}`),
    '',
    `  API reference: ${config.publicUrl}/api/docs   (sign in with POST /api/v1/session, or`,
    '  create a key: npx deskline apikey create --name my-script)',
    smtpPort
      ? `  Inbound mail: SMTP on 127.0.0.1:${smtpPort} for support@deskline.local; outgoing mail: ${config.smtpUrl ? config.smtpUrl.replace(/\/\/[^@]*@/, '//…@') : 'kept in the mail log (GET /api/v1/mail/outbox)'}`
      : '  Inbound SMTP listener: off',
    '  Health: /healthz   Readiness: /readyz   Stop with Ctrl+C',
    '',
  ];
  print(lines.join('\n'));
}

const program = new Command('deskline').description('Deskline help desk').showHelpAfterError();

program
  .command('start')
  .description('migrate, seed the demo desk once, and serve (what `npm start` runs)')
  .action(() => serve({ demo: true }));

program
  .command('serve')
  .description('serve HTTP and run the job worker')
  .addOption(new Option('--role <role>', 'which parts to run').choices(['all', 'web', 'worker', 'scheduler']))
  .option('--demo', 'seed the demo desk if it is not there yet')
  .action((o: { role?: Config['role']; demo?: boolean }) => serve(o));

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() =>
    withDatabase(async (h) => {
      print(`Database is up to date (${h.dialect}).`);
    }),
  );

program
  .command('seed')
  .description('seed the demo desk and/or N generated tickets for benchmarks')
  .option('--demo', 'the demo desk from DESIGN.md (idempotent)')
  .option('--tickets <n>', 'bulk tickets with realistic threads', (v) => Number.parseInt(v, 10))
  .action((o: { demo?: boolean; tickets?: number }) =>
    withDatabase(async (h, deps) => {
      const { seedDemo } = await import('./seed/demo.ts');
      const { seedBulkTickets } = await import('./seed/bulk.ts');
      if (o.demo || o.tickets)
        print(
          (await seedDemo(h.db, systemClock.now(), deps.log))
            ? 'Demo desk seeded.'
            : 'Demo desk already present.',
        );
      if (o.tickets) {
        const r = await seedBulkTickets(h, o.tickets, { onProgress: (n) => progress(`${n} tickets`) });
        print(
          `\nSeeded ${r.tickets} tickets, ${r.entries} thread entries, ${r.events} events in ${(r.ms / 1000).toFixed(1)} s.`,
        );
        // The bulk rows bypass the services, so no refresh job was queued for them.
        await rebuildReportFacts(h);
      }
    }),
  );

async function rebuildReportFacts(h: DbHandle) {
  const { rebuildFacts } = await import('./modules/reports/reports.facts.service.ts');
  const start = performance.now();
  const n = await rebuildFacts(h.db, (done) => progress(`report facts of ${done} tickets`));
  print(`\nReport facts of ${n} tickets rebuilt in ${((performance.now() - start) / 1000).toFixed(1)} s.`);
}

program
  .command('reports')
  .description('report maintenance')
  .command('rebuild')
  .description("recompute every ticket's report facts (after restoring a backup or editing rows by hand)")
  .action(() => withDatabase(rebuildReportFacts));

const agent = program.command('agent').description('manage agents');
agent
  .command('create')
  .requiredOption('--email <email>')
  .requiredOption('--name <name>')
  .requiredOption('--password <password>')
  .addOption(new Option('--role <role>').choices(['admin', 'agent']).default('agent'))
  .option('--department <dept>', 'department (name or id) with full access; repeatable', collect, [])
  .action(
    (o: { email: string; name: string; password: string; role: 'admin' | 'agent'; department: string[] }) =>
      withDatabase(async (_h, deps) => {
        const { department, ...person } = o;
        const { createAgent } = await import('./modules/directory/agents.service.ts');
        const a = await createAgent(deps, {
          ...person,
          departments: department.map((d) => ({ department: d })),
        });
        print(`Created ${a.role} ${a.name} <${a.email}> (id ${a.id}).`);
      }),
  );

const apikey = program.command('apikey').description('manage API keys');
apikey
  .command('create')
  .requiredOption('--name <name>')
  .option('--agent <email>', 'act as this agent (default: the system, with every scope)')
  .option('--scope <scope>', 'repeatable', collect, [])
  .option('--cidr <range>', 'only from these addresses; repeatable', collect, [])
  .action((o: { name: string; agent?: string; scope: string[]; cidr: string[] }) =>
    withDatabase(async (_h, deps) => {
      const { createApiKey } = await import('./modules/auth/apikeys.service.ts');
      const { id, key } = await createApiKey(deps, {
        name: o.name,
        ...(o.agent ? { agent: o.agent } : {}),
        ...(o.scope.length ? { scopes: o.scope as ApiScope[] } : {}),
        cidrs: o.cidr,
      });
      print(`Created API key ${id} "${o.name}". It is shown only now:`);
      print(key);
    }),
  );

const jobs = program.command('jobs').description('inspect the outbox');
jobs
  .command('failed')
  .description('list jobs that ran out of attempts')
  .action(() =>
    withDatabase(async (h) => {
      const { listFailed } = await import('./modules/outbox/outbox.repository.ts');
      const rows = await listFailed(h.db, { limit: 100 });
      if (rows.length === 0) print('No failed jobs.');
      for (const j of rows) print(`${j.id}\t${j.type}\tattempts=${j.attempts}\t${j.last_error ?? ''}`);
    }),
  );
jobs
  .command('retry <id>')
  .description('queue a failed job again')
  .action((id: string) =>
    withDatabase(async (h) => {
      const { retryFailed } = await import('./modules/outbox/outbox.service.ts');
      await retryFailed(h.db, Number(id), systemClock.now());
      print(`Job ${id} queued.`);
    }),
  );

const mail = program.command('mail').description('the email channel');
mail
  .command('pipe')
  .description(
    'take one RFC 5322 message on standard input (for an MTA pipe); exit 0 accepted, 75 try again later, 77 refused, 66 no message',
  )
  .action(async () => {
    const { runPipe } = await import('./modules/mail/mail.pipe.ts');
    process.exitCode = await runPipe(process.stdin);
  });
mail
  .command('poll')
  .description('import new messages from every mailbox with IMAP settings, once')
  .action(() =>
    withDatabase(async (_h, deps) => {
      const { pollMailbox, dueMailboxes } = await import('./modules/mail/mail.imap-poller.ts');
      for (const box of await dueMailboxes(deps, { ignoreInterval: true })) {
        const r = await pollMailbox(deps, box);
        print(`${r.mailbox}: ${r.imported} imported${r.error ? `; error: ${r.error}` : ''}`);
      }
    }),
  );

program
  .command('bench')
  .description('run the benchmarks in bench/ and print figures')
  .allowUnknownOption()
  .allowExcessArguments()
  .action(async () => {
    const { runBenchmarks } = await import('../bench/run.ts');
    await runBenchmarks(process.argv.slice(3));
  });

// The command failed: its user reads why on stderr (a domain error's code and
// message; anything else with its stack), and the exit status says so.
program.parseAsync(process.argv).catch((err: unknown) => {
  const text =
    err instanceof AppError
      ? `${err.code}: ${err.message}`
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err);
  process.stderr.write(`${text}\n`);
  process.exit(1);
});
