import type { Readable } from 'node:stream';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrator.ts';
import { systemClock } from '../../lib/clock.ts';
import { createLog, type Log } from '../../lib/log.ts';
import { ingestMail } from './mail.ingest.service.ts';

/**
 * Exit codes an MTA understands (sysexits.h), as osTicket's automail scripts
 * use them: anything temporary is 75 so the MTA keeps the message and retries;
 * a permanent "no" bounces it to the sender.
 */
export const EXIT = { accepted: 0, noInput: 66, tempFail: 75, refused: 77 } as const;

/**
 * `deskline mail pipe`: one message on stdin → the ingestion service → an exit
 * code. `say` is the answer the MTA shows (a line on stderr, as sendmail
 * programs do); the log (LOG_LEVEL) gets the causes.
 */
export async function runPipe(input: Readable, say = (line: string) => process.stderr.write(`${line}\n`)) {
  let raw: Buffer;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk as Buffer);
    raw = Buffer.concat(chunks);
  } catch (err) {
    say(`deskline: could not read the message: ${String(err)}`);
    return EXIT.tempFail;
  }
  if (raw.length === 0) {
    say('deskline: no message on standard input');
    return EXIT.noInput;
  }
  let handle;
  let log: Log | undefined;
  try {
    const config = loadConfig();
    log = createLog(config.logLevel).child({ module: 'mail', channel: 'pipe' });
    handle = openDatabase(config.databaseUrl, {
      timeouts: config.databaseTimeouts,
      log: log.child({ module: 'database' }),
    });
    await migrateToLatest(handle.db);
    const result = await ingestMail(
      { db: handle.db, clock: systemClock, log, files: { dir: config.dataDir } },
      raw,
      { channel: 'pipe' },
    );
    const about = result.ticket ? ` (ticket ${result.ticket})` : '';
    if (result.outcome === 'rejected') {
      say(`deskline: refused: ${result.reason ?? 'rejected'}`);
      return EXIT.refused;
    }
    say(`deskline: ${result.outcome}${about}, inbound #${result.id}`);
    return EXIT.accepted;
  } catch (err) {
    // The database is down or busy, the disk is full…: the MTA must keep the message.
    log?.warn({ err }, 'could not store the message; exit 75 (the MTA retries)');
    say(
      `deskline: temporary failure, the MTA will retry: ${err instanceof Error ? err.message : String(err)}`,
    );
    return EXIT.tempFail;
  } finally {
    // The answer is decided; a connection that fails to close changes nothing for the MTA.
    await handle?.close().catch((err: unknown) => log?.debug({ err }, 'closing the database failed'));
  }
}
