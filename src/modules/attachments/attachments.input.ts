import path from 'node:path';
import type { AttachmentInput } from '../../contract/attachments.contract.ts';
import { AppError, invalid } from '../../lib/errors.ts';

// Attachments as clients send them: a file name, an optional type, and the
// bytes as base64 or a data URL. Decoded and checked here, before anything
// is written, so a bad file fails the request and leaves nothing behind.

/** The per-file limit unless the desk's file store sets its own. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const MAX_NAME = 180;

export interface DecodedFile {
  filename: string;
  contentType: string;
  data: Buffer;
  /** An inline part's Content-ID (without <>), so `cid:` links in the HTML can point at it. */
  contentId?: string;
}

// Refused whatever type they claim: a help desk is a classic way to deliver malware to staff.
const BLOCKED_EXTENSIONS = new Set(
  'exe bat cmd com scr msi msp js jse vbs vbe wsf wsh ps1 psm1 jar pif cpl hta lnk reg scf dll'.split(' '),
);
const BLOCKED_TYPES = new Set([
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-dosexec',
  'application/x-executable',
  'application/x-msi',
  'application/x-ms-installer',
  'application/x-ms-shortcut',
  'application/hta',
  'application/javascript',
  'application/x-javascript',
  'text/javascript',
]);

/** Characters that never belong in a name: controls, bidi overrides ("exe.txt" spoofing), reserved ones. */
const UNSAFE_CHARS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}"<>:|?*]/gu;

/** `../../etc/passwd` → `passwd`; control characters and reserved ones go; length is capped keeping the extension. */
export function cleanFilename(name: string): string {
  const base = path.posix.basename(name.replace(/\\/g, '/'));
  // Windows drops trailing dots and spaces ("a.exe." opens as "a.exe"), so they go before the type check.
  const cleaned = base
    .replace(UNSAFE_CHARS, '')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .trim();
  if (!cleaned) throw invalid('attachment_name_invalid', `"${name.slice(0, 100)}" is not a usable file name`);
  if (cleaned.length <= MAX_NAME) return cleaned;
  const ext = path.extname(cleaned).slice(0, 16);
  return cleaned.slice(0, MAX_NAME - ext.length) + ext;
}

/** Data URL or base64 → bytes and the type it names; anything else is `attachment_invalid`. */
export function decodeData(data: string, declaredType?: string): { bytes: Buffer; type: string } {
  const m = /^data:([^;,]*)((?:;[^;,]*)*?),(.*)$/s.exec(data);
  if (m) {
    const params = m[2] ?? '';
    const type = (m[1] || declaredType || 'application/octet-stream').toLowerCase();
    const payload = m[3] ?? '';
    const base64 = params.toLowerCase().split(';').includes('base64');
    return { bytes: base64 ? fromBase64(payload) : percentDecode(payload), type };
  }
  if (data.startsWith('data:'))
    throw invalid('attachment_invalid', 'Attachment data URL has no "," before its data');
  return { bytes: fromBase64(data), type: (declaredType || 'application/octet-stream').toLowerCase() };
}

/** RFC 2397 text: %XX escapes become bytes; a stray "%" stays as it is (as PHP's urldecode leaves it). */
function percentDecode(s: string): Buffer {
  const parts: Buffer[] = [];
  let plain = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%' || !/^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) continue;
    parts.push(Buffer.from(s.slice(plain, i), 'utf8'), Buffer.from([parseInt(s.slice(i + 1, i + 3), 16)]));
    plain = i + 3;
    i += 2;
  }
  parts.push(Buffer.from(s.slice(plain), 'utf8'));
  return Buffer.concat(parts);
}

function fromBase64(s: string): Buffer {
  const compact = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.length % 4 === 1)
    throw invalid('attachment_invalid', 'Attachment data is not valid base64 or a data URL');
  return Buffer.from(compact, 'base64');
}

const startsWith = (b: Buffer, ...bytes: number[]) => bytes.every((v, i) => b[i] === v);

/** What the bytes are, for the formats worth recognising; undefined when they say nothing. */
export function sniffType(b: Buffer): string | undefined {
  if (startsWith(b, 0x4d, 0x5a) && b.length >= 64) {
    // A Windows program: "MZ", then at 0x3c the offset of the "PE\0\0" header.
    const pe = b.readUInt32LE(0x3c);
    if (pe + 4 <= b.length && b.subarray(pe, pe + 4).equals(Buffer.from('PE\0\0', 'latin1')))
      return 'application/x-msdownload';
  }
  if (startsWith(b, 0x7f, 0x45, 0x4c, 0x46)) return 'application/x-executable';
  if (startsWith(b, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (startsWith(b, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (startsWith(b, 0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (startsWith(b, 0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return undefined;
}

/**
 * Name, bytes and type of one attachment, checked: size, executables by name,
 * claimed type or content. The type kept is the sniffed one when the bytes are
 * recognisable, else the claimed one; it only labels the download, which is
 * always served as an attachment (never rendered in the desk's origin).
 */
export function decodeAttachment(a: AttachmentInput, maxBytes = MAX_ATTACHMENT_BYTES): DecodedFile {
  const filename = cleanFilename(a.filename);
  const { bytes, type } = decodeData(a.data, a.contentType);
  return checkFile(filename, bytes, type, maxBytes);
}

/** The checks every file passes, whichever way it arrived (API base64, a mail part). */
export function checkFile(
  name: string,
  bytes: Buffer,
  type: string,
  maxBytes = MAX_ATTACHMENT_BYTES,
): DecodedFile {
  const filename = cleanFilename(name);
  if (bytes.length > maxBytes) {
    const mib = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
    throw new AppError('attachment_too_large', 413, `${filename} is larger than ${mib} MiB`);
  }
  const sniffed = sniffType(bytes);
  const ext = path.extname(filename).slice(1).toLowerCase();
  const claimedType = type.toLowerCase();
  if (
    BLOCKED_EXTENSIONS.has(ext) ||
    BLOCKED_TYPES.has(claimedType) ||
    (sniffed && BLOCKED_TYPES.has(sniffed))
  )
    throw invalid('attachment_type_refused', `${filename}: executable files are not accepted`);
  const claimed = /^[\w.+-]+\/[\w.+-]+$/.test(claimedType) ? claimedType : 'application/octet-stream';
  return { filename, contentType: sniffed ?? claimed, data: bytes };
}
