import type { Readable } from 'node:stream';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrator.ts';
import { systemClock } from '../../lib/clock.ts';
import { ingestMail } from './mail.ingest.service.ts';

/**
 * Exit codes an MTA understands (sysexits.h), as osTicket's automail scripts
 * use them: anything temporary is 75 so the MTA keeps the message and retries;
 * a permanent "no" bounces it to the sender.
 */
export const EXIT = { accepted: 0, noInput: 66, tempFail: 75, refused: 77 } as const;

/** `deskline mail pipe`: one message on stdin → the ingestion service → an exit code. */
export async function runPipe(input: Readable, log = (line: string) => process.stderr.write(`${line}\n`)) {
  let raw: Buffer;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk as Buffer);
    raw = Buffer.concat(chunks);
  } catch (err) {
    log(`deskline: could not read the message: ${String(err)}`);
    return EXIT.tempFail;
  }
  if (raw.length === 0) {
    log('deskline: no message on standard input');
    return EXIT.noInput;
  }
  let handle;
  try {
    const config = loadConfig();
    handle = openDatabase(config.databaseUrl, { timeouts: config.databaseTimeouts });
    await migrateToLatest(handle.db);
    const result = await ingestMail(
      { db: handle.db, clock: systemClock, files: { dir: config.dataDir } },
      raw,
      { channel: 'pipe' },
    );
    const about = result.ticket ? ` (ticket ${result.ticket})` : '';
    if (result.outcome === 'rejected') {
      log(`deskline: refused: ${result.reason ?? 'rejected'}`);
      return EXIT.refused;
    }
    log(`deskline: ${result.outcome}${about}, inbound #${result.id}`);
    return EXIT.accepted;
  } catch (err) {
    // The database is down or busy, the disk is full…: the MTA must keep the message.
    log(
      `deskline: temporary failure, the MTA will retry: ${err instanceof Error ? err.message : String(err)}`,
    );
    return EXIT.tempFail;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
