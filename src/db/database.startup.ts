import type { Log } from '../lib/log.ts';
import type { Db } from './database.ts';
import { isDatabaseUnavailable } from './database.errors.ts';
import { migrateToLatest } from './migrator.ts';

export interface Backoff {
  firstMs: number;
  maxMs: number;
}

const DEFAULT_BACKOFF: Backoff = { firstMs: 500, maxMs: 10_000 };

/**
 * Applies the migrations, waiting out a database that is not there yet
 * (refusing connections, starting up, restarting, its disk full): it retries
 * with back-off and says so on stderr instead of ending the process, so
 * Deskline and its database may start in any order. Anything else — a wrong
 * password, a database that does not exist, a failing migration — is thrown:
 * waiting would not fix it.
 */
export async function migrateWhenAvailable(
  db: Db,
  opts: { log: Log; backoff?: Backoff; onUnavailable?: () => void },
): Promise<void> {
  const { log, backoff = DEFAULT_BACKOFF } = opts;
  for (let wait = backoff.firstMs, failures = 0; ; failures++) {
    try {
      await migrateToLatest(db);
      if (failures > 0) log.warn('database available again; migrations are current');
      return;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      opts.onUnavailable?.();
      // A refused "localhost" (IPv6 and IPv4) is an AggregateError with a code and no message.
      const reason = (err as Error).message || (err as { code?: string }).code || String(err);
      log.warn(
        { err, retryInMs: wait },
        `database not available (${reason}); trying again in ${wait / 1000} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, backoff.maxMs);
    }
  }
}
