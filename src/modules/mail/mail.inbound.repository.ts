import { sql } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import type { InboundChannel, InboundStatus } from '../../db/schema.ts';

export interface InboundRow {
  channel: InboundChannel;
  mailboxId: number | null;
  messageId: string | null;
  fromAddress: string | null;
  subject: string | null;
  raw: Buffer;
  status: InboundStatus;
  reason?: string | null;
  ticketId?: number | null;
  entryId?: number | null;
  imapKey?: string | null;
  now: number;
}

/** Every message that reaches the desk is kept, raw, with what became of it. */
export async function insertInbound(db: Db, r: InboundRow): Promise<number> {
  const row = await db
    .insertInto('inbound_messages')
    .values({
      channel: r.channel,
      mailbox_id: r.mailboxId,
      message_id: r.messageId,
      from_address: r.fromAddress,
      subject: r.subject?.slice(0, 1000) ?? null,
      size: r.raw.length,
      raw: r.raw,
      status: r.status,
      reason: r.reason ?? null,
      ticket_id: r.ticketId ?? null,
      entry_id: r.entryId ?? null,
      imap_key: r.imapKey ?? null,
      received_at: r.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The same message (Message-ID and sender) already taken in: a retried pipe, an SMTP resend, an IMAP copy. */
export function findAccepted(db: Db, messageId: string, fromAddress: string) {
  return db
    .selectFrom('inbound_messages')
    .leftJoin('tickets', 'tickets.id', 'inbound_messages.ticket_id')
    .select(['inbound_messages.id', 'inbound_messages.status', 'tickets.number'])
    .where('inbound_messages.message_id', '=', messageId)
    .where('inbound_messages.from_address', '=', fromAddress)
    .where('inbound_messages.status', 'not in', ['flagged', 'duplicate'])
    .orderBy('inbound_messages.id')
    .executeTakeFirst();
}

/**
 * findAccepted inside the ingestion transaction, after taking a lock on the
 * Message-ID (PostgreSQL: a transaction-level advisory lock; SQLite has one
 * writer at a time already), so two copies arriving together cannot both pass.
 */
export async function lockAndFindAccepted(trx: Db, messageId: string, fromAddress: string) {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtext(${messageId}))`.execute(trx);
  return findAccepted(trx, messageId, fromAddress);
}

export const isImported = async (db: Db, imapKey: string) =>
  (await db
    .selectFrom('inbound_messages')
    .select('id')
    .where('imap_key', '=', imapKey)
    .executeTakeFirst()) !== undefined;

/** Which of these Message-IDs we sent (each row: the ticket and the recipient it went to). */
export function sentWithIds(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('mail_log')
    .select(['id', 'message_id', 'ticket_id', 'to_address'])
    .where('message_id', 'in', ids)
    .execute();
}

/** Tickets whose thread holds a message with one of these Message-IDs (what customers and agents sent). */
export async function ticketsWithMessageIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  const [entries, inbound] = await Promise.all([
    db
      .selectFrom('thread_entries')
      .select(['message_id', 'ticket_id'])
      .where('message_id', 'in', ids)
      .execute(),
    db
      .selectFrom('inbound_messages')
      .select(['message_id', 'ticket_id'])
      .where('message_id', 'in', ids)
      .where('ticket_id', 'is not', null)
      .execute(),
  ]);
  return [...entries, ...inbound];
}

/** Moves a mailbox's polling bookmark forward (never back), in the transaction that stored the message. */
export async function advanceUid(db: Db, at: { mailboxId: number; uidValidity: number; uid: number }) {
  await db
    .updateTable('mailboxes')
    // CASE rather than max()/greatest(): the one spelling both dialects accept.
    .set({
      uid_validity: at.uidValidity,
      last_uid: sql<number>`case when last_uid > ${at.uid} then last_uid else ${at.uid} end`,
    })
    .where('id', '=', at.mailboxId)
    .execute();
}
