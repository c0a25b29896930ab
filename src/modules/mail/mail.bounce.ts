import type { ParsedMail } from 'mailparser';

/** A delivery failure report (RFC 3464 DSN, or a mailer-daemon message quoting ours). */
export interface Bounce {
  /** Message-IDs of our mail the report is about (from the returned headers). */
  originalIds: string[];
  recipient: string | undefined;
  status: string | undefined;
  action: string | undefined;
  diagnostic: string | undefined;
}

/**
 * Recognises a bounce. A DSN is `multipart/report; report-type=delivery-status`;
 * mailparser hands its parts over as attachments. Older MTAs send a plain
 * message from MAILER-DAEMON with our message quoted: its headers still name
 * our Message-ID.
 */
export function readBounce(mail: ParsedMail, fromAddress: string | undefined): Bounce | undefined {
  const contentType = mail.headers.get('content-type');
  const reportType =
    typeof contentType === 'object' && contentType !== null && 'params' in contentType
      ? String((contentType as { params: Record<string, string> }).params['report-type'] ?? '')
      : '';
  const status = mail.attachments.find((a) => a.contentType === 'message/delivery-status');
  const returned = mail.attachments.find(
    (a) => a.contentType === 'text/rfc822-headers' || a.contentType === 'message/rfc822',
  );
  const fromDaemon = /^(mailer-daemon|postmaster)@/i.test(fromAddress ?? '');
  const isReport = reportType.toLowerCase() === 'delivery-status' || status !== undefined;
  if (!isReport && !fromDaemon) return undefined;

  const fields = status ? dsnFields(status.content.toString('utf8')) : new Map<string, string>();
  const quoted = returned ? returned.content.toString('utf8') : (mail.text ?? '');
  const originalIds = [...quoted.matchAll(/^Message-ID:\s*(<[^<>\s]+>)/gim)].map((m) => m[1]!);
  return {
    originalIds,
    recipient: address(fields.get('final-recipient') ?? fields.get('original-recipient')),
    status: fields.get('status'),
    action: fields.get('action'),
    diagnostic: fields.get('diagnostic-code')?.slice(0, 500),
  };
}

/** The per-message and per-recipient fields of a delivery-status part, first value of each name wins. */
function dsnFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  // Folded lines (a continuation starts with white space) join their field.
  for (const line of text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m && !fields.has(m[1]!.toLowerCase())) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  return fields;
}

/** "rfc822; karen@example.com" → "karen@example.com". */
const address = (v: string | undefined) => v?.split(';').pop()?.trim().toLowerCase() || undefined;
