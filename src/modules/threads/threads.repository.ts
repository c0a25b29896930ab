import type { Db } from '../../db/database.ts';
import type { EntryKind, ThreadEntry } from '../../db/schema.ts';

export interface NewEntry {
  ticketId: number;
  kind: EntryKind;
  authorAgentId?: number | null;
  authorCustomerId?: number | null;
  body: string;
  format: 'text' | 'html';
  source: string;
  messageId?: string | null;
  now: number;
}

/**
 * Every column of an entry except PostgreSQL's stored search vector, which is
 * as large as the body and only ever read by the search index.
 */
export const ENTRY_COLUMNS = [
  'id',
  'ticket_id',
  'kind',
  'author_agent_id',
  'author_customer_id',
  'body',
  'format',
  'source',
  'message_id',
  'created_at',
] as const;

/** Writes the entry alone: its files and the report refresh are the use case's (threads.service.ts). */
export function insertEntry(db: Db, e: NewEntry): Promise<ThreadEntry> {
  return db
    .insertInto('thread_entries')
    .values({
      ticket_id: e.ticketId,
      kind: e.kind,
      author_agent_id: e.authorAgentId ?? null,
      author_customer_id: e.authorCustomerId ?? null,
      body: e.body,
      format: e.format,
      source: e.source,
      message_id: e.messageId ?? null,
      created_at: e.now,
    })
    .returning(ENTRY_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** A ticket's first entry (a new ticket's opening message). */
export function firstEntryOf(db: Db, ticketId: number): Promise<ThreadEntry> {
  return db
    .selectFrom('thread_entries')
    .select(ENTRY_COLUMNS)
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .executeTakeFirstOrThrow();
}

/** The thread in order; customers are given only what they may see. */
export function listEntries(db: Db, ticketId: number, opts: { includeNotes: boolean }) {
  let q = db.selectFrom('thread_entries').select(ENTRY_COLUMNS).where('ticket_id', '=', ticketId);
  if (!opts.includeNotes) q = q.where('kind', '!=', 'note');
  return q.orderBy('id').execute();
}
