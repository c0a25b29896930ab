import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { MailLogTable, MailStatus } from '../../db/schema.ts';

// mail_log: every mail Deskline writes, one row per (job, recipient), with
// its own Message-ID and what became of it (sent, logged, bounced, skipped).

/** Writes a letter's rows; a row that exists (the job ran before) is left alone. */
export async function insertLetterRows(db: Db, rows: Insertable<MailLogTable>[]): Promise<void> {
  await db
    .insertInto('mail_log')
    .values(rows)
    .onConflict((oc) => oc.columns(['job_id', 'to_address']).doNothing())
    .execute();
}

/** A job's rows still to be handed to SMTP. */
export function pendingOfJob(db: Db, jobId: number) {
  return db
    .selectFrom('mail_log')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('status', '=', 'pending')
    .execute();
}

export async function recordSendError(db: Db, id: number, error: string): Promise<void> {
  await db.updateTable('mail_log').set({ error }).where('id', '=', id).execute();
}

export async function markSent(db: Db, id: number, now: number): Promise<void> {
  await db
    .updateTable('mail_log')
    .set({ status: 'sent', sent_at: now, error: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

export async function markBounced(db: Db, ids: number[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('mail_log').set({ status: 'bounced', error }).where('id', 'in', ids).execute();
}

/**
 * Per address, the automatic replies in the log since `since` (skipped ones
 * apart) that answered a ticket opened by email.
 */
export function autoRepliesToEmailSince(db: Db, to: string[], since: number) {
  return db
    .selectFrom('mail_log')
    .innerJoin('tickets', 'tickets.id', 'mail_log.ticket_id')
    .select(['mail_log.to_address', (eb) => eb.fn.countAll<number>().as('n')])
    .where('mail_log.to_address', 'in', to)
    .where('mail_log.kind', '=', 'auto')
    .where('mail_log.status', '!=', 'skipped')
    .where('mail_log.created_at', '>', since)
    .where('tickets.source', '=', 'email')
    .groupBy('mail_log.to_address')
    .execute();
}

/** Which of these Message-IDs we sent (each row: the ticket and the recipient it went to). */
export function sentWithIds(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('mail_log')
    .select(['id', 'message_id', 'ticket_id', 'to_address'])
    .where('message_id', 'in', ids)
    .execute();
}

/** The log, newest first, keyset-paged by id. */
export function pageOfLog(
  db: Db,
  q: {
    status?: MailStatus | undefined;
    ticket?: string | undefined;
    to?: string | undefined;
    beforeId?: number | undefined;
    limit: number;
  },
) {
  let s = db
    .selectFrom('mail_log')
    .leftJoin('tickets', 'tickets.id', 'mail_log.ticket_id')
    .select([
      'mail_log.id',
      'tickets.number as ticket_number',
      'mail_log.to_address',
      'mail_log.from_address',
      'mail_log.subject',
      'mail_log.body',
      'mail_log.message_id',
      'mail_log.in_reply_to',
      'mail_log.status',
      'mail_log.kind',
      'mail_log.error',
      'mail_log.created_at',
      'mail_log.sent_at',
    ]);
  if (q.status) s = s.where('mail_log.status', '=', q.status);
  if (q.ticket) s = s.where('tickets.number', '=', q.ticket);
  if (q.to) s = s.where('mail_log.to_address', '=', q.to);
  if (q.beforeId !== undefined) s = s.where('mail_log.id', '<', q.beforeId);
  return s.orderBy('mail_log.id', 'desc').limit(q.limit).execute();
}
