import nodemailer from 'nodemailer';
import SMTPPool from 'nodemailer/lib/smtp-pool/index.js';

/** One message to one recipient, as the outbox hands it to SMTP. */
export interface OutgoingMessage {
  from: { name: string; address: string };
  to: string;
  replyTo: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers: Record<string, string>;
  attachments: { filename: string; path: string; contentType: string }[];
}

export interface MailTransport {
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

/**
 * How long a relay may keep us waiting. nodemailer's defaults (2 min to
 * connect, 30 s for the greeting, 10 min of silence) let one relay that stops
 * answering hold a job, and a shutdown, for ten minutes; with these a hung
 * relay fails the attempt within 30 s and the job retries with backoff.
 */
export const RELAY_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * Outbound SMTP (SMTP_URL, e.g. smtp://user:pass@relay:587). Pooled: under
 * load many messages share a few connections. The Message-ID is ours, set
 * before the first attempt and reused by every retry, so a mail sent twice
 * after a crash is recognisably the same mail to the receiving side.
 */
export function smtpTransport(url: string): MailTransport {
  const options: SMTPPool.Options & { maxRequeues: number } = {
    ...RELAY_TIMEOUTS,
    pool: true,
    maxConnections: 4,
    // A connection lost mid-message fails the send (the outbox retries with
    // backoff) instead of nodemailer queueing it again, without limit, in memory.
    maxRequeues: 0,
    url,
  };
  // createTransport({url, …}) keeps only what the URL says and drops every
  // other option (the pool and the timeouts included); SMTPPool merges them,
  // the URL (and its ?query options) winning.
  const transporter = nodemailer.createTransport(new SMTPPool(options));
  return {
    async send(m) {
      await transporter.sendMail({
        from: { name: m.from.name, address: m.from.address },
        to: m.to,
        replyTo: m.replyTo,
        subject: m.subject,
        text: m.text,
        messageId: m.messageId,
        ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}),
        ...(m.references?.length ? { references: m.references } : {}),
        headers: m.headers,
        attachments: m.attachments,
      });
    },
    close: () => transporter.close(),
  };
}
