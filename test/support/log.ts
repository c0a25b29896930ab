import { createLog, type Log, type LogLevel } from '../../src/lib/log.ts';

/**
 * The tests' logger: quiet unless LOG_LEVEL asks (`LOG_LEVEL=debug npx vitest run …`).
 * Servers the tests spawn get their own LOG_LEVEL (test/support/server.ts).
 */
export const testLog: Log = createLog((process.env.LOG_LEVEL as LogLevel | undefined) ?? 'silent');
