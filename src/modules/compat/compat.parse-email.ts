import { simpleParser, type ParsedMail } from 'mailparser';
import type { CreateTicketInput } from '../tickets/tickets.schemas.ts';
import { CompatError } from './compat.errors.ts';

/**
 * One raw RFC 5322 message → a new ticket's input: From is the requester, the
 * text part the body (the HTML part, sanitized on the way in, when there is no
 * text), attachments and inline images kept as files, Message-ID recorded, and
 * no auto-response to automated mail (so two robots cannot loop). The email
 * channel (threading replies, bounces) builds on this one function.
 */
export async function parseEmailTicket(raw: Buffer): Promise<CreateTicketInput> {
  if (raw.length === 0) throw new CompatError(400, 'Empty message');
  // skipHtmlToText: an HTML-only message keeps its HTML instead of a lossy text rendering.
  const mail = await simpleParser(raw, { skipHtmlToText: true }).catch(() => {
    throw new CompatError(400, 'Unreadable message');
  });
  const from = mail.from?.value[0];
  if (!from?.address) throw new CompatError(400, 'The message has no From address');
  const text = mail.text?.trim() ?? '';
  const html = typeof mail.html === 'string' ? mail.html.trim() : '';
  const input: CreateTicketInput = {
    subject: mail.subject?.trim() || '(no subject)',
    body: text || html || '(empty message)',
    format: !text && html ? 'html' : 'text',
    requester: { email: from.address, ...(from.name ? { name: from.name } : {}) },
    source: 'email',
  };
  if (isAutomated(mail, from.address)) input.autorespond = false;
  if (mail.messageId) input.messageId = mail.messageId.slice(0, 998);
  const files = mail.attachments.map((a, i) => ({
    filename:
      a.filename || `attachment-${i + 1}.${(a.contentType.split('/')[1] ?? 'bin').replace(/\W/g, '')}`,
    contentType: a.contentType,
    data: a.content.toString('base64'),
  }));
  if (files.length) input.attachments = files;
  return input;
}

/** Auto-replies, bulk and list mail, and delivery reports (RFC 3834 and the headers mailers use in practice). */
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
