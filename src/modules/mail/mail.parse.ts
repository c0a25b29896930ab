import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { cleanDeep } from '../../lib/text-input.ts';
import { normalizeEmail } from '../directory/customers.repository.ts';
import { readBounce, type Bounce } from './mail.bounce.ts';

/** What the desk needs from one raw message, decoded (charsets, encoded words, transfer encodings). */
export interface InboundMail {
  from: { address: string; name: string } | undefined;
  to: string[];
  cc: { address: string; name: string }[];
  subject: string;
  text: string;
  html: string;
  messageId: string | undefined;
  /** In-Reply-To first, then References newest first: the order to look threads up in. */
  references: string[];
  /** Auto-replies, bulk and list mail, mail from robots: answered by no automatic message. */
  automated: boolean;
  bounce: Bounce | undefined;
  parts: MailPart[];
}

export interface MailPart {
  filename: string;
  contentType: string;
  content: Buffer;
  /** Content-ID of an inline part, without the angle brackets. */
  contentId: string | undefined;
  inline: boolean;
}

const REPORT_TYPES = new Set(['message/delivery-status', 'text/rfc822-headers', 'message/rfc822']);

/**
 * Parses a raw message; never throws for bad MIME (mailparser recovers), only for unreadable input.
 * Every text in the result is storable on both databases (no NUL, no lone surrogate: lib/text-input.ts),
 * whether it came from a header, an encoded word, a body or a file name.
 */
export async function parseMail(raw: Buffer): Promise<InboundMail> {
  // keepCidLinks: inline images stay `cid:` links, pointed at their stored attachment later.
  // keepDeliveryStatus: a DSN's machine-readable part comes as a part of its own, not folded into the text.
  const mail = await simpleParser(raw, {
    skipHtmlToText: true,
    keepCidLinks: true,
    keepDeliveryStatus: true,
  });
  const from = mail.from?.value.find((a) => a.address);
  const fromAddress = from?.address ? normalizeEmail(from.address) : undefined;
  const bounce = readBounce(mail, fromAddress);
  return cleanDeep({
    from: fromAddress ? { address: fromAddress, name: from?.name?.trim() ?? '' } : undefined,
    to: addresses(mail.to).map((a) => a.address),
    cc: addresses(mail.cc),
    subject: (mail.subject ?? '').replace(/\s+/g, ' ').trim(),
    text: mail.text?.trim() ?? '',
    html: typeof mail.html === 'string' ? mail.html.trim() : '',
    messageId: clip(mail.messageId),
    references: referencesOf(mail),
    automated: bounce !== undefined || isAutomated(mail, fromAddress ?? ''),
    bounce,
    // A report's machine-readable parts belong to the bounce, not to a ticket's files.
    parts: mail.attachments
      .filter((a) => !(bounce && REPORT_TYPES.has(a.contentType)))
      .map((a, i) => part(a, i)),
  });
}

function addresses(field: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((o) =>
    o.value
      .filter((a) => a.address)
      .map((a) => ({ address: normalizeEmail(a.address!), name: a.name?.trim() ?? '' })),
  );
}

const clip = (id: string | undefined) => (id ? id.trim().slice(0, 998) : undefined);

function referencesOf(mail: ParsedMail): string[] {
  const refs = Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [];
  const ids = [mail.inReplyTo, ...refs.slice().reverse()]
    .flatMap((v) => (v ? (v.match(/<[^<>\s]+>/g) ?? []) : []))
    .map((id) => id.slice(0, 998));
  // A long thread's References can name hundreds of messages; the newest few are enough to find it.
  return [...new Set(ids)].slice(0, 20);
}

function part(a: Attachment, index: number): MailPart {
  const ext = (a.contentType.split('/')[1] ?? 'bin').replace(/\W/g, '') || 'bin';
  return {
    filename: a.filename || `attachment-${index + 1}.${ext}`,
    contentType: a.contentType,
    content: a.content,
    contentId: a.contentId ? a.contentId.replace(/^<|>$/g, '') : undefined,
    inline: a.contentDisposition === 'inline' || (a.related === true && Boolean(a.contentId)),
  };
}

/** Auto-replies, bulk and list mail, and robots (RFC 3834 and the headers mailers use in practice). */
export function isAutomated(mail: ParsedMail, fromAddress: string): boolean {
  const header = (name: string) => {
    const v = mail.headers.get(name);
    return typeof v === 'string' ? v.trim().toLowerCase() : v === undefined ? undefined : String(v);
  };
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted !== undefined && autoSubmitted !== 'no') return true;
  if (/^(bulk|list|junk)$/.test(header('precedence') ?? '')) return true;
  if (['x-autoreply', 'x-autorespond', 'x-auto-response-suppress'].some((h) => mail.headers.has(h)))
    return true;
  return /^(mailer-daemon|postmaster)@/i.test(fromAddress);
}
