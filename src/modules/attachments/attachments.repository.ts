import type { Db } from '../../db/database.ts';

/** A file written to the store (attachments.service.ts prepareFiles), not yet recorded on an entry. */
export interface StoredFile {
  sha256: string;
  filename: string;
  contentType: string;
  size: number;
  contentId?: string;
}

/** What a ticket's answer lists of an attachment. */
const ATTACHMENT_COLUMNS = ['id', 'entry_id', 'filename', 'content_type', 'size'] as const;

/** Records stored files on a thread entry, inside the caller's transaction. */
export async function recordAttachments(
  trx: Db,
  ticketId: number,
  entryId: number,
  files: StoredFile[],
  now: number,
): Promise<void> {
  if (files.length === 0) return;
  await trx
    .insertInto('attachments')
    .values(
      files.map((f) => ({
        ticket_id: ticketId,
        entry_id: entryId,
        sha256: f.sha256,
        filename: f.filename,
        content_type: f.contentType,
        size: f.size,
        content_id: f.contentId ?? null,
        created_at: now,
      })),
    )
    .execute();
}

/** The attachments of one entry. */
export const attachmentsOfEntry = (db: Db, entryId: number) =>
  db
    .selectFrom('attachments')
    .select(ATTACHMENT_COLUMNS)
    .where('entry_id', '=', entryId)
    .orderBy('id')
    .execute();

/** Every attachment of a ticket, in order. */
export const attachmentsOfTicket = (db: Db, ticketId: number) =>
  db
    .selectFrom('attachments')
    .select(ATTACHMENT_COLUMNS)
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();

/** An attachment with what decides who may download it (its ticket's scope, its entry's kind). */
export const findAttachmentWithScope = (db: Db, id: number) =>
  db
    .selectFrom('attachments')
    .innerJoin('tickets', 'tickets.id', 'attachments.ticket_id')
    .leftJoin('thread_entries', 'thread_entries.id', 'attachments.entry_id')
    .select([
      'attachments.id',
      'attachments.sha256',
      'attachments.filename',
      'attachments.content_type',
      'attachments.size',
      'thread_entries.kind',
      'tickets.id as ticket_id',
      'tickets.department_id',
      'tickets.assignee_id',
      'tickets.team_id',
      'tickets.requester_id',
      'tickets.organization_id',
    ])
    .where('attachments.id', '=', id)
    .executeTakeFirst();
