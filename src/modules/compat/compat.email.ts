import { simpleParser } from 'mailparser';
import type { CreateTicketInput } from '../tickets/tickets.schemas.ts';
import { CompatError } from './compat.errors.ts';

/**
 * One raw RFC 5322 message → a new ticket's input: From is the requester,
 * the text part the body (or the sanitized HTML part when there is no text),
 * attachments and inline images kept as files, Message-ID recorded. The email
 * channel (threading replies, loop and bounce safety) builds on this function.
 */
export async function parseEmailTicket(raw: Buffer): Promise<CreateTicketInput> {
  if (raw.length === 0) throw new CompatError(400, 'Empty message');
  const mail = await simpleParser(raw).catch(() => {
    throw new CompatError(400, 'Unreadable message');
  });
  const from = mail.from?.value[0];
  if (!from?.address) throw new CompatError(400, 'The message has no From address');
  const html = typeof mail.html === 'string' ? mail.html : '';
  const text = mail.text?.trim() ?? '';
  const body = text || html;
  const input: CreateTicketInput = {
    subject: mail.subject?.trim() || '(no subject)',
    body: body || '(empty message)',
    format: text ? 'text' : html ? 'html' : 'text',
    requester: { email: from.address, ...(from.name ? { name: from.name } : {}) },
    source: 'email',
  };
  if (mail.messageId) input.messageId = mail.messageId.slice(0, 998);
  const files = mail.attachments.map((a, i) => ({
    filename:
      a.filename || `attachment-${i + 1}.${(a.contentType.split('/')[1] ?? 'bin').replace(/\W/g, '')}`,
    contentType: a.contentType,
    data: a.content.toString('base64'),
  }));
  if (files.length) input.attachments = files.slice(0, 20);
  return input;
}
