import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { referenceOf, type Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { MINUTE } from '../../lib/clock.ts';
import { RateLimiter } from '../../lib/rate-limit.ts';
import { ingestMail } from './mail.ingest.service.ts';
import { SMTP_LIMITS, SmtpSessionGuard, type SmtpLimits } from './mail.smtp-guard.ts';

export interface SmtpListener {
  port: number;
  /**
   * Stops accepting at once and answers 421 to every session not in the middle
   * of a message; those get `graceMs` to finish, then are closed too.
   */
  close(graceMs?: number): Promise<void>;
}

/** An SMTP reply code with a message, the way smtp-server expects errors. */
const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/** 421 at the greeting: the sender's rate, or (the settings could not be read) the database. */
const refusedAtConnect = (err: unknown) =>
  err instanceof AppError && err.code === 'rate_limited'
    ? smtpError(421, '4.7.0 Too many messages from your address; try again later')
    : smtpError(421, '4.3.0 Temporary failure; try again later');

/**
 * The built-in inbound SMTP listener (SMTP_LISTEN_PORT). It accepts mail for
 * our mailbox addresses only (550 otherwise), refuses messages over the size
 * limit (552), and answers 250 only once the message and what it caused are
 * committed; a database failure answers 451 so the sending MTA retries later.
 * No AUTH and no relaying: it is a final destination, like an MX. Connection
 * limits (per client address, idle and NOOP-only sessions) are in mail.smtp-guard.ts.
 */
export async function startSmtpListener(
  deps: Deps,
  opts: { port: number; host: string; limits?: SmtpLimits },
): Promise<SmtpListener> {
  const limiter = new RateLimiter(() => deps.clock.now());
  const initial = (await referenceOf(deps)).settings.mail;
  const limits = opts.limits ?? SMTP_LIMITS;
  const server: SMTPServer = new SMTPServer({
    banner: 'Deskline',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: initial.maxMessageBytes,
    maxClients: limits.maxClients,
    socketTimeout: limits.idleMs,
    // A PTR lookup per connection only delays the greeting: nothing here uses the name.
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      const refused = guard.admit(session);
      if (refused) return callback(smtpError(421, refused));
      (async () => {
        const mail = (await referenceOf(deps)).settings.mail;
        limiter.hit(`smtp:${session.remoteAddress}`, mail.smtpPerIpPerMinute, MINUTE);
      })().then(
        () => callback(),
        (err: unknown) => callback(refusedAtConnect(err)),
      );
    },
    onRcptTo(address, _session, callback) {
      referenceOf(deps).then(
        (ref) =>
          ref.isOwnAddress(address.address)
            ? callback()
            : callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)),
        () => callback(smtpError(451, '4.3.0 Temporary failure; try again later')),
      );
    },
    onData(stream, session, callback) {
      guard
        .receiving(session, () => receive(deps, stream, session, limiter))
        .then(
          (queued) => callback(null, queued),
          (err: Error) => callback(err),
        );
    },
    onClose(session) {
      guard.release(session);
    },
  });
  const guard = new SmtpSessionGuard(server, limits);
  server.on('error', () => undefined); // a client's broken connection is not the server's problem
  // SMTP is many small request/answer turns: without this, Nagle's algorithm and delayed ACKs add ~40 ms per message.
  server.server.on('connection', (socket: import('node:net').Socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : opts.port,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        // smtp-server's own timer would wait 30 s; ours closes what is left at the deadline.
        const timer = setTimeout(() => {
          for (const c of server.connections)
            c.send(421, '4.3.2 Service shutting down; try again later', false);
          resolve();
        }, graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        guard.closeIdle();
      }),
  };
}

async function receive(
  deps: Deps,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  limiter: RateLimiter,
): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  if (stream.sizeExceeded) throw smtpError(552, '5.3.4 Message too big for this system');
  const mail = (await referenceOf(deps)).settings.mail;
  try {
    // Every message counts, also on a connection that sends many.
    if (session.transaction > 1)
      limiter.hit(`smtp:${session.remoteAddress}`, mail.smtpPerIpPerMinute, MINUTE);
  } catch {
    throw smtpError(451, '4.7.0 Too many messages from your address; try again later');
  }
  const recipients = session.envelope.rcptTo.map((r) => r.address);
  let result;
  try {
    result = await ingestMail(deps, Buffer.concat(chunks), { channel: 'smtp', recipients });
  } catch {
    throw smtpError(451, '4.3.0 Temporary failure storing the message; try again later');
  }
  // The reason is the admin's (inbound list); a rule's name is not told to the sender.
  if (result.outcome === 'rejected')
    throw smtpError(
      550,
      `5.7.1 Message refused (${result.reason?.startsWith('rule:') ? 'policy' : (result.reason ?? 'policy')})`,
    );
  return `Accepted as inbound #${result.id}${result.ticket ? ` (ticket ${result.ticket})` : ''}`;
}
