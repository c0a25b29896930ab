import { ImapFlow } from 'imapflow';
import type { Mailbox } from '../../db/schema.ts';
import type { Deps } from '../../lib/deps.ts';
import { isUniqueViolation } from '../tickets/tickets.idempotency.ts';
import { imapMailboxes, recordPoll } from './mail.inbound.repository.ts';
import { ingestMail } from './mail.ingest.service.ts';

export interface PollResult {
  mailbox: string;
  imported: number;
  error?: string;
}

/**
 * Imports new messages from one IMAP mailbox. Messages are read in UID order;
 * each is stored together with the mailbox's new bookmark (last UID) in one
 * transaction, so a crash anywhere re-reads at most the message in hand and
 * never skips one. Only after that commit is the server copy flagged, moved or
 * deleted (as the mailbox says). A new UIDVALIDITY (the folder was rebuilt)
 * starts again from the beginning; the Message-ID check then marks the old
 * ones as duplicates instead of opening tickets twice.
 */
export async function pollMailbox(
  deps: Deps,
  box: Mailbox,
  opts: { max?: number } = {},
): Promise<PollResult> {
  const log = deps.log.child({ module: 'mail', channel: 'imap', mailbox: box.address });
  const client = new ImapFlow({
    host: box.imap_host!,
    port: box.imap_port,
    secure: box.imap_tls === 1,
    auth:
      box.imap_auth === 'oauth2'
        ? { user: box.imap_user ?? box.address, accessToken: box.imap_secret ?? '' }
        : { user: box.imap_user ?? box.address, pass: box.imap_secret ?? '' },
    logger: false,
    disableAutoIdle: true,
  });
  // Surfaced through the failing call below (and logged there).
  client.on('error', (err) => log.debug({ err }, 'IMAP connection error'));
  let imported = 0;
  try {
    await client.connect();
    const lock = await client.getMailboxLock(box.imap_folder);
    try {
      const opened = client.mailbox;
      const uidValidity = opened ? Number(opened.uidValidity) : 0;
      const after = box.uid_validity === uidValidity ? box.last_uid : 0;
      // "n:*" always includes the newest message even when its UID is below n: filter again.
      const found = (await client.search({ uid: `${after + 1}:*` }, { uid: true })) || [];
      const uids = found.filter((u) => u > after).sort((a, b) => a - b);
      for (const uid of uids.slice(0, opts.max ?? 500)) {
        const msg = await client.fetchOne(String(uid), { source: true, uid: true }, { uid: true });
        if (!msg || !msg.source) continue;
        try {
          await ingestMail({ ...deps, log: log.child({ uid }) }, msg.source, {
            channel: 'imap',
            imap: { mailboxId: box.id, uidValidity, uid },
          });
        } catch (err) {
          // Another poller (a second worker process) committed this very message first: nothing to do.
          if (!isUniqueViolation(err)) throw err;
        }
        imported++;
        await afterImport(client, box, uid);
      }
    } finally {
      lock.release();
    }
    await client.logout();
    await record(deps, box.id, null);
    return { mailbox: box.address, imported };
  } catch (err) {
    client.close();
    // Recorded on the mailbox for its admin; the next poll tries again.
    log.warn({ err, imported }, 'polling the mailbox failed');
    const error = err instanceof Error ? err.message : String(err);
    await record(deps, box.id, error).catch((recordErr: unknown) =>
      log.warn({ err: recordErr }, 'could not record the error on the mailbox'),
    );
    return { mailbox: box.address, imported, error };
  }
}

async function afterImport(client: ImapFlow, box: Mailbox, uid: number): Promise<void> {
  const range = String(uid);
  if (box.after_import === 'flag') await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
  else if (box.after_import === 'move' && box.archive_folder)
    await client.messageMove(range, box.archive_folder, { uid: true });
  else if (box.after_import === 'delete') await client.messageDelete(range, { uid: true });
}

const record = (deps: Deps, id: number, error: string | null) =>
  recordPoll(deps.db, id, deps.clock.now(), error);

/** Mailboxes with IMAP settings whose poll interval has passed (or all of them). */
export async function dueMailboxes(deps: Deps, opts: { ignoreInterval?: boolean } = {}): Promise<Mailbox[]> {
  const now = deps.clock.now();
  const boxes = await imapMailboxes(deps.db);
  return boxes.filter(
    (b) =>
      opts.ignoreInterval || b.last_polled_at === null || now - b.last_polled_at >= b.poll_seconds * 1000,
  );
}

/** Polls due mailboxes every few seconds until stopped (the worker role runs it). */
export function startImapPolling(deps: Deps, everyMs = 5_000): { stop(): Promise<void> } {
  const log = deps.log.child({ module: 'mail', channel: 'imap' });
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      // A failed read (the database away) is tried again at the next turn.
      const due = await dueMailboxes(deps).catch((err: unknown) => {
        log.warn({ err }, 'could not read the mailboxes to poll');
        return [];
      });
      for (const box of due) {
        if (!running) break;
        await pollMailbox(deps, box);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, everyMs).unref();
      });
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
