import type { Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { checkFile, type DecodedFile } from '../attachments/attachments.input.ts';
import { storeDecoded } from '../attachments/attachments.service.ts';
import type { StoredFile } from '../attachments/attachments.repository.ts';
import type { MailPart } from './mail.parse.ts';

/** More than this many files on one message are left out (and said so). */
const MAX_FILES = 50;

export interface MailFiles {
  stored: StoredFile[];
  /** Lines for an internal note: files left out, and why; winmail.dat explained. */
  notes: string[];
}

/**
 * A mail's attachments and inline images, checked and written to the file
 * store before the transaction (like every upload). A refused file (an
 * executable, an oversized one) does not bounce the mail: it is left out and
 * the agents are told in an internal note.
 */
export async function mailFiles(deps: Deps, parts: MailPart[]): Promise<MailFiles> {
  const notes: string[] = [];
  const kept: DecodedFile[] = [];
  for (const p of parts) {
    if (kept.length >= MAX_FILES) {
      notes.push(`${p.filename}: more than ${MAX_FILES} attachments`);
      continue;
    }
    try {
      const file = checkFile(p.filename, p.content, p.contentType, deps.files?.maxBytes);
      kept.push(p.contentId && p.inline ? { ...file, contentId: p.contentId } : file);
      if (/^winmail\.dat$/i.test(file.filename) || p.contentType === 'application/ms-tnef')
        notes.push(
          `${file.filename} is Outlook's rich-text wrapper (TNEF); its contents are not unpacked. Ask the sender to send the files as ordinary attachments.`,
        );
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      notes.push(err.message.includes(p.filename) ? err.message : `${p.filename}: ${err.message}`);
    }
  }
  if (kept.length > 0 && !deps.files) {
    notes.push(...kept.map((f) => `${f.filename}: this desk has no file storage configured`));
    return { stored: [], notes: withHeading(notes) };
  }
  const stored = kept.length > 0 ? await storeDecoded(deps.files!.dir, kept) : [];
  return { stored, notes: withHeading(notes) };
}

const withHeading = (notes: string[]) =>
  notes.length ? ['About the attachments of this email:', ...notes] : [];
