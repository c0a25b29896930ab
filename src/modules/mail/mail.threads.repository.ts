import type { Db } from '../../db/database.ts';
import type { ThreadEntry } from '../../db/schema.ts';
import { ENTRY_COLUMNS } from '../threads/threads.repository.ts';

// What the email channel reads of tickets and their threads to write a
// letter (the ticket with its requester and department, an entry's text and
// files, the thread's Message-IDs), and what it links in a message it took in.

/** A ticket as a letter about it needs it; undefined when it was deleted. */
export function ticketForLetter(db: Db, ticketId: number) {
  return db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.requester_id')
    .innerJoin('departments', 'departments.id', 'tickets.department_id')
    .select([
      'tickets.id',
      'tickets.number',
      'tickets.subject',
      'tickets.department_id',
      'tickets.help_topic_id',
      'tickets.assignee_id',
      'tickets.source',
      'customers.email',
      'customers.name',
      'departments.name as department',
    ])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
}

export async function entryBody(db: Db, entryId: number): Promise<string | undefined> {
  const e = await db.selectFrom('thread_entries').select('body').where('id', '=', entryId).executeTakeFirst();
  return e?.body;
}

/** The files of an entry, as a letter attaches them. */
export async function entryFiles(db: Db, entryId: number) {
  const rows = await db
    .selectFrom('attachments')
    .select(['sha256', 'filename', 'content_type'])
    .where('entry_id', '=', entryId)
    .execute();
  return rows.map((r) => ({ sha256: r.sha256, filename: r.filename, contentType: r.content_type }));
}

/** The Message-IDs of a ticket's thread, oldest first. */
export async function threadMessageIds(db: Db, ticketId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('thread_entries')
    .select('message_id')
    .where('ticket_id', '=', ticketId)
    .where('message_id', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.message_id!);
}

/** The customer's first message of a ticket (the one intake wrote). */
export function firstMessageOf(trx: Db, ticketId: number): Promise<ThreadEntry> {
  return trx
    .selectFrom('thread_entries')
    .select(ENTRY_COLUMNS)
    .where('ticket_id', '=', ticketId)
    .where('kind', '=', 'message')
    .orderBy('id')
    .executeTakeFirstOrThrow();
}

/** An entry's inline images (attachments with a Content-ID). */
export function inlineImagesOf(trx: Db, entryId: number) {
  return trx
    .selectFrom('attachments')
    .select(['id', 'content_id'])
    .where('entry_id', '=', entryId)
    .where('content_id', 'is not', null)
    .execute();
}

export async function setEntryBody(trx: Db, entryId: number, body: string): Promise<void> {
  await trx.updateTable('thread_entries').set({ body }).where('id', '=', entryId).execute();
}
