import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { isDatabaseUnavailable } from '../../db/database.errors.ts';
import { referenceOf, type Deps } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import { MINUTE } from '../../lib/clock.ts';
import type { Log } from '../../lib/log.ts';
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

const isRateLimited = (err: unknown) => err instanceof AppError && err.code === 'rate_limited';

/** A temporary failure of ours (4xx to the sender), logged with its cause: an outage is a warning, anything else an error. */
function logFailure(log: Log, err: unknown, msg: string): void {
  if (isDatabaseUnavailable(err)) log.warn({ err }, msg);
  else log.error({ err }, msg);
}

/** 421 at the greeting: the sender's rate, or (the settings could not be read) the database. */
function refusedAtConnect(log: Log, err: unknown) {
  if (isRateLimited(err)) return smtpError(421, '4.7.0 Too many messages from your address; try again later');
  logFailure(log, err, 'could not read the mail settings; answered 421 at the greeting');
  return smtpError(421, '4.3.0 Temporary failure; try again later');
}

/** The session's logger: every line about one SMTP conversation carries its id and peer. */
const sessionLog = (log: Log, session: SMTPServerSession) =>
  log.child({ session: session.id, remote: session.remoteAddress });

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
  const log = deps.log.child({ module: 'mail', channel: 'smtp' });
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
        (err: unknown) => callback(refusedAtConnect(sessionLog(log, session), err)),
      );
    },
    onRcptTo(address, session, callback) {
      referenceOf(deps).then(
        (ref) =>
          ref.isOwnAddress(address.address)
            ? callback()
            : callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`)),
        (err: unknown) => {
          logFailure(sessionLog(log, session), err, 'could not read the mailboxes; answered 451 to RCPT TO');
          callback(smtpError(451, '4.3.0 Temporary failure; try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      const said = sessionLog(log, session);
      guard
        .receiving(session, () => receive(deps, said, stream, session, limiter))
        .then(
          (queued) => callback(null, queued),
          (err: Error) => {
            // Our own answers (552, 451, 550) carry their code; anything else is a failure of ours.
            if (!('responseCode' in err)) logFailure(said, err, 'could not take a message');
            callback(err);
          },
        );
    },
    onClose(session) {
      guard.release(session);
    },
  });
  const guard = new SmtpSessionGuard(server, limits);
  // A client's broken connection is not the server's problem (the sender retries what it did not finish).
  server.on('error', (err) => log.debug({ err }, 'an SMTP connection failed'));
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
  log: Log,
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
  } catch (err) {
    // The sender's own rate: it is told to come back later, nothing of ours failed.
    if (!isRateLimited(err)) logFailure(log, err, 'rate limiting failed; answered 451');
    throw smtpError(451, '4.7.0 Too many messages from your address; try again later');
  }
  const recipients = session.envelope.rcptTo.map((r) => r.address);
  let result;
  try {
    result = await ingestMail({ ...deps, log }, Buffer.concat(chunks), { channel: 'smtp', recipients });
  } catch (err) {
    // Nothing was committed; the sending MTA keeps the message and retries.
    logFailure(log, err, 'could not store a message; answered 451');
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
