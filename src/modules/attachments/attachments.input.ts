import path from 'node:path';
import { z } from 'zod';
import { invalid } from '../../lib/errors.ts';

// Attachments as clients send them: a file name, an optional type, and the
// bytes as base64 or a data URL. Decoded and checked here, before anything
// is written, so a bad file fails the request and leaves nothing behind.

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const MAX_NAME = 180;

export const AttachmentInput = z.strictObject({
  filename: z.string().min(1).max(1024),
  contentType: z.string().max(255).optional(),
  /** Base64, or a data URL (`data:image/png;base64,…`). */
  data: z
    .string()
    .min(0)
    .max(Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 1024),
});
export const Attachments = z.array(AttachmentInput).max(20);
export type AttachmentInputT = z.infer<typeof AttachmentInput>;

export interface DecodedFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

// Refused whatever type they claim: a help desk is a classic way to deliver malware to staff.
const BLOCKED_EXTENSIONS = new Set([
  'exe',
  'bat',
  'cmd',
  'com',
  'scr',
  'msi',
  'js',
  'vbs',
  'ps1',
  'jar',
  'pif',
  'cpl',
  'hta',
]);
const BLOCKED_TYPES = new Set([
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-dosexec',
]);

/** `../../etc/passwd` → `passwd`; control characters and reserved ones go; length is capped keeping the extension. */
export function cleanFilename(name: string): string {
  const base = path.posix.basename(name.replace(/\\/g, '/'));
  const cleaned = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && !'"<>:|?*'.includes(ch))
    .join('')
    .replace(/^\.+/, '')
    .trim();
  if (!cleaned) throw invalid('attachment_name_invalid', `"${name.slice(0, 100)}" is not a usable file name`);
  if (cleaned.length <= MAX_NAME) return cleaned;
  const ext = path.extname(cleaned).slice(0, 16);
  return cleaned.slice(0, MAX_NAME - ext.length) + ext;
}

/** Data URL or base64 → bytes and type; anything else is `attachment_invalid`. */
export function decodeData(data: string, declaredType?: string): { bytes: Buffer; type: string } {
  const m = /^data:([^;,]*)((?:;[^;,]*)*?),(.*)$/s.exec(data);
  if (m) {
    const params = m[2] ?? '';
    const type = (m[1] || declaredType || 'application/octet-stream').toLowerCase();
    const payload = m[3] ?? '';
    if (params.includes(';base64')) return { bytes: fromBase64(payload), type };
    try {
      return { bytes: Buffer.from(decodeURIComponent(payload), 'utf8'), type };
    } catch {
      return { bytes: Buffer.from(payload, 'utf8'), type };
    }
  }
  return { bytes: fromBase64(data), type: (declaredType || 'application/octet-stream').toLowerCase() };
}

function fromBase64(s: string): Buffer {
  const compact = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.length % 4 === 1)
    throw invalid('attachment_invalid', 'Attachment data is not valid base64 or a data URL');
  return Buffer.from(compact, 'base64');
}

export function decodeAttachment(a: AttachmentInputT): DecodedFile {
  const filename = cleanFilename(a.filename);
  const { bytes, type } = decodeData(a.data, a.contentType);
  if (bytes.length > MAX_ATTACHMENT_BYTES)
    throw invalid('attachment_too_large', `${filename} is larger than 10 MiB`);
  const ext = path.extname(filename).slice(1).toLowerCase();
  if (BLOCKED_EXTENSIONS.has(ext) || BLOCKED_TYPES.has(type))
    throw invalid('attachment_type_refused', `${filename}: executable files are not accepted`);
  // The type is kept for the download's Content-Type, never used to render inline.
  const contentType = /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : 'application/octet-stream';
  return { filename, contentType, data: bytes };
}
