import fs from 'node:fs';
import type { Db } from '../../db/database.ts';
import type { Deps } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { canView } from '../tickets/tickets.policy.ts';
import { isCollaborator } from '../tickets/tickets.repository.ts';
import type { AttachmentInput } from '../../contract/attachments.contract.ts';
import { decodeAttachment, type DecodedFile } from './attachments.input.ts';
import { pathFor, storeFile } from './attachments.store.ts';

export interface StoredFile {
  sha256: string;
  filename: string;
  contentType: string;
  size: number;
  contentId?: string;
}

/**
 * Decodes, checks and writes the files BEFORE the transaction that records
 * them: an orphan file after a rollback is harmless (same content, same name
 * next time); a row pointing at a missing file would not be.
 */
export async function prepareFiles(deps: Deps, inputs: AttachmentInput[] | undefined): Promise<StoredFile[]> {
  if (!inputs || inputs.length === 0) return [];
  const store = deps.files;
  if (!store)
    throw new AppError(
      'attachments_disabled',
      422,
      'This desk has no file storage configured for attachments',
    );
  return storeDecoded(
    store.dir,
    inputs.map((a) => decodeAttachment(a, store.maxBytes)),
  );
}

/** Writes files that were already checked (checkFile / decodeAttachment) to the store. */
export async function storeDecoded(dir: string, decoded: DecodedFile[]): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  for (const f of decoded) {
    stored.push({
      sha256: await storeFile(dir, f.data),
      filename: f.filename,
      contentType: f.contentType,
      size: f.data.length,
      ...(f.contentId ? { contentId: f.contentId } : {}),
    });
  }
  return stored;
}

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

/** An attachment the actor may download: 404 when its ticket is hidden, or it belongs to a note and they are a customer. */
export async function openAttachment(deps: Deps, actor: Actor, id: number) {
  const row = await deps.db
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
  if (!row) throw notFound('attachment');
  const collaborator =
    actor.kind === 'customer' && row.requester_id !== actor.id
      ? await isCollaborator(deps.db, row.ticket_id, actor.id)
      : false;
  if (!canView(actor, row, collaborator) || (actor.kind === 'customer' && row.kind === 'note'))
    throw notFound('attachment');
  const dir = deps.files?.dir;
  const file = dir ? pathFor(dir, row.sha256) : undefined;
  if (!file || !fs.existsSync(file))
    throw new AppError('attachment_missing', 410, 'The file of this attachment is gone');
  return {
    filename: row.filename,
    contentType: row.content_type,
    size: row.size,
    stream: fs.createReadStream(file),
  };
}
