import fs from 'node:fs';
import type { Deps } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { canView } from '../tickets/tickets.policy.ts';
import { isCollaborator } from '../tickets/tickets.repository.ts';
import type { AttachmentInput } from '../../contract/attachments.contract.ts';
import { decodeAttachment, type DecodedFile } from './attachments.input.ts';
import { pathFor, storeFile } from './attachments.store.ts';
import { findAttachmentWithScope, type StoredFile } from './attachments.repository.ts';

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

/** An attachment the actor may download: 404 when its ticket is hidden, or it belongs to a note and they are a customer. */
export async function openAttachment(deps: Deps, actor: Actor, id: number) {
  const row = await findAttachmentWithScope(deps.db, id);
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
