import nodemailer from 'nodemailer';

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
 * Outbound SMTP (SMTP_URL, e.g. smtp://user:pass@relay:587). Pooled: under
 * load many messages share a few connections. The Message-ID is ours, set
 * before the first attempt and reused by every retry, so a mail sent twice
 * after a crash is recognisably the same mail to the receiving side.
 */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({ url, pool: true, maxConnections: 4 });
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
