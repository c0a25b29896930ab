import { sql } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import type { InboundChannel, InboundStatus, Mailbox } from '../../db/schema.ts';

// inbound_messages (every message that reaches the desk, raw, with what
// became of it) and the mailboxes' polling state.

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

/** Inbound messages without their raw bytes, newest first, keyset-paged by id. */
export function pageOfInbound(
  db: Db,
  q: {
    status?: InboundStatus | undefined;
    channel?: InboundChannel | undefined;
    beforeId?: number | undefined;
    limit: number;
  },
) {
  let s = db
    .selectFrom('inbound_messages')
    .leftJoin('mailboxes', 'mailboxes.id', 'inbound_messages.mailbox_id')
    .leftJoin('tickets', 'tickets.id', 'inbound_messages.ticket_id')
    .select([
      'inbound_messages.id',
      'inbound_messages.channel',
      'mailboxes.address as mailbox',
      'inbound_messages.message_id',
      'inbound_messages.from_address',
      'inbound_messages.subject',
      'inbound_messages.size',
      'inbound_messages.status',
      'inbound_messages.reason',
      'tickets.number as ticket_number',
      'inbound_messages.received_at',
    ]);
  if (q.status) s = s.where('inbound_messages.status', '=', q.status);
  if (q.channel) s = s.where('inbound_messages.channel', '=', q.channel);
  if (q.beforeId !== undefined) s = s.where('inbound_messages.id', '<', q.beforeId);
  return s.orderBy('inbound_messages.id', 'desc').limit(q.limit).execute();
}

export async function findInboundRaw(db: Db, id: number): Promise<Buffer | undefined> {
  const row = await db.selectFrom('inbound_messages').select('raw').where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return Buffer.isBuffer(row.raw) ? row.raw : Buffer.from(row.raw);
}

/** Active mailboxes with IMAP settings. */
export function imapMailboxes(db: Db): Promise<Mailbox[]> {
  return db
    .selectFrom('mailboxes')
    .selectAll()
    .where('is_active', '=', 1)
    .where('imap_host', 'is not', null)
    .execute();
}

/** When a mailbox was last polled, and the error if the poll failed. */
export async function recordPoll(db: Db, id: number, now: number, error: string | null): Promise<void> {
  await db
    .updateTable('mailboxes')
    .set({ last_polled_at: now, last_error: error?.slice(0, 1000) ?? null })
    .where('id', '=', id)
    .execute();
}
