import path from 'node:path';
import { z } from 'zod';
import { SERVING_TIMEOUTS, type DatabaseTimeouts } from './db/database.ts';

/** Every setting Deskline reads from the environment, validated once at start-up. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DESKLINE_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  SMTP_LISTEN_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  SMTP_URL: z.string().optional(),
  DESKLINE_ROLE: z.enum(['all', 'web', 'worker', 'scheduler']).default('all'),
  DESKLINE_PUBLIC_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  // PostgreSQL's limits while serving (0 turns one off).
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).default(SERVING_TIMEOUTS.connectMs),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(SERVING_TIMEOUTS.statementMs),
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(SERVING_TIMEOUTS.lockMs),
  /** Seconds a stopping server gives requests, SMTP transactions and jobs in flight to finish. */
  DESKLINE_SHUTDOWN_TIMEOUT: z.coerce.number().min(0).max(600).default(10),
});

export type Role = z.infer<typeof Env>['DESKLINE_ROLE'];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  smtpListenPort: number;
  smtpUrl: string | undefined;
  role: Role;
  publicUrl: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  /** PostgreSQL's limits for serving (`serve`, `mail pipe`); maintenance commands lift the statement limit. */
  databaseTimeouts: DatabaseTimeouts;
  shutdownTimeoutMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DESKLINE_DATA_DIR);
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '127.0.0.1' ? 'localhost' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'deskline.db')}`,
    smtpListenPort: e.SMTP_LISTEN_PORT,
    smtpUrl: e.SMTP_URL,
    role: e.DESKLINE_ROLE,
    publicUrl: (e.DESKLINE_PUBLIC_URL ?? `http://${shownHost}:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    databaseTimeouts: {
      connectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      lockMs: e.DATABASE_LOCK_TIMEOUT_MS,
    },
    shutdownTimeoutMs: Math.round(e.DESKLINE_SHUTDOWN_TIMEOUT * 1000),
  };
}
