import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

/** What a test SMTP server received: the envelope and the parsed message. */
export interface Captured {
  from: string;
  to: string[];
  raw: Buffer;
  mail: ParsedMail;
}

export interface CaptureServer {
  url: string;
  received: Captured[];
  /** Waits until at least n messages arrived (fails after 5 s). */
  waitFor(n: number): Promise<Captured[]>;
  close(): Promise<void>;
}

/** A real SMTP server on a loopback port that keeps everything it is sent (the outbound relay in tests). */
export async function startCaptureSmtp(): Promise<CaptureServer> {
  const received: Captured[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (mail) => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              mail,
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitFor(n) {
      const until = Date.now() + 5000;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} messages, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A mail client sending to the listener on `port`, as a customer's provider would deliver it. */
export function smtpClient(port: number) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  return {
    send: (message: nodemailer.SendMailOptions) => transport.sendMail(message),
    close: () => transport.close(),
  };
}

export const header = (m: ParsedMail, name: string): string | undefined => {
  const v = m.headers.get(name);
  return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
};
