import type { Db } from '../../db/database.ts';
import type { InboundChannel, InboundStatus, Mailbox } from '../../db/schema.ts';
import { inTransaction, inUseCase, referenceOf, type Deps, type TxContext } from '../../lib/deps.ts';
import { AppError } from '../../lib/errors.ts';
import type { Log } from '../../lib/log.ts';
import { parseInput } from '../../lib/validate.ts';
import { SYSTEM } from '../auth/auth.actor.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { recordEvents } from '../tickets/tickets.events.repository.ts';
import { CreateTicket } from '../../contract/tickets.contract.ts';
import { openTicket } from '../tickets/tickets.intake.service.ts';
import { recordRejection, RuleRejected } from '../routing/routing.service.ts';
import { agentsWithEmails } from '../directory/agents.repository.ts';
import { findTicketById } from '../tickets/tickets.repository.ts';
import { mailFiles, type MailFiles } from './mail.files.service.ts';
import { advanceUid, findAccepted, insertInbound, lockAndFindAccepted } from './mail.inbound.repository.ts';
import { markBounced, sentWithIds } from './mail.log.repository.ts';
import { parseMail, type InboundMail } from './mail.parse.ts';
import { contentOf } from './mail.quotes.ts';
import { firstMessageOf } from './mail.threads.repository.ts';
import {
  continueThread,
  findThread,
  identify,
  linkInlineImages,
  type Sender,
  type Thread,
} from './mail.threading.service.ts';

// The one way mail becomes tickets, whatever brought it: the SMTP listener,
// IMAP polling, the MTA pipe and POST /api/tickets.email all call ingestMail.
// Every message is kept raw in inbound_messages, in the same transaction as
// the ticket change it causes, so an answer of "accepted" (SMTP 250, pipe
// exit 0, HTTP 201) is only given once both are committed. Nothing is
// dropped: what cannot become a ticket is stored with a status and a reason.

export interface IngestMeta {
  channel: InboundChannel;
  /** Envelope recipients (SMTP RCPT TO); otherwise To/Cc pick the mailbox. */
  recipients?: string[];
  /** IMAP: the polled mailbox and the message's place in it, committed with the message. */
  imap?: { mailboxId: number; uidValidity: number; uid: number };
}

export interface IngestResult {
  /** The inbound_messages row. */
  id: number;
  outcome: InboundStatus;
  reason?: string;
  /** The ticket the message opened, continued, bounced on or duplicated. */
  ticket?: string;
  entryId?: number;
  threaded?: 'references' | 'token';
}

/** What a message became, before its inbound row is written (in the same transaction). */
export interface Disposition {
  status: InboundStatus;
  reason?: string;
  ticketId?: number;
  ticketNumber?: string;
  entryId?: number;
}

interface Context {
  deps: Deps;
  ref: ReferenceSnapshot;
  raw: Buffer;
  meta: IngestMeta;
  mail?: InboundMail;
  mailbox: Mailbox | undefined;
  /** The channel's logger (its session or mailbox), with the Message-ID once the message is read. */
  log: Log;
}

export async function ingestMail(deps: Deps, raw: Buffer, meta: IngestMeta): Promise<IngestResult> {
  const ref = await referenceOf(deps);
  const ctx: Context = { deps, ref, raw, meta, mailbox: mailboxOf(ref, meta, undefined), log: deps.log };
  const result = await takeIn(ctx);
  const { id: inbound, outcome, reason, ticket } = result;
  ctx.log.info({ inbound, outcome, reason, ticket }, 'message taken in');
  return result;
}

async function takeIn(ctx: Context): Promise<IngestResult> {
  const { deps, ref, raw } = ctx;
  const settings = ref.settings.mail;
  if (raw.length > settings.maxMessageBytes) return stored(ctx, { status: 'flagged', reason: 'too_large' });
  try {
    ctx.mail = await parseMail(raw);
  } catch (err) {
    // Kept and flagged for an admin (the inbound list), never lost; the parser's reason is for the log.
    ctx.log.warn({ err }, 'could not read a message; kept as flagged (unreadable)');
    return stored(ctx, { status: 'flagged', reason: 'unreadable' });
  }
  const mail = ctx.mail;
  ctx.log = ctx.log.child({ messageId: mail.messageId ?? null });
  ctx.mailbox = mailboxOf(ref, ctx.meta, mail);
  if (!mail.from) return stored(ctx, { status: 'flagged', reason: 'no_sender' });
  const from = mail.from.address;

  // Loops: our own address as sender, or our own message coming back.
  if (ref.isOwnAddress(from)) return stored(ctx, { status: 'ignored', reason: 'own_address' });
  if (mail.messageId) {
    if ((await sentWithIds(deps.db, [mail.messageId])).length > 0)
      return stored(ctx, { status: 'ignored', reason: 'own_message' });
    const earlier = await findAccepted(deps.db, mail.messageId, from);
    if (earlier)
      return stored(ctx, {
        status: 'duplicate',
        reason: `same as inbound #${earlier.id}`,
        ...(earlier.number ? { ticketNumber: earlier.number } : {}),
      });
  }
  const sender = await identify(deps.db, from, mail.from.name);
  if (sender.banned || isBanned(settings.banned, from))
    return stored(ctx, { status: 'rejected', reason: 'banned' });
  if (mail.bounce) return bounced(ctx, mail);

  const thread = await findThread(deps.db, mail, sender);
  // An out-of-office or similar: history, not conversation (no reopen, no alerts).
  if (thread && mail.automated) return autoReply(ctx, thread, from);
  return intoTicket(ctx, mail, sender, thread);
}

/** An automatic answer (out-of-office…) to a thread: kept, and noted on the ticket's history. */
function autoReply(ctx: Context, thread: Thread, from: string): Promise<IngestResult> {
  return stored(
    ctx,
    { status: 'auto_reply', ticketId: thread.ticket.id, ticketNumber: thread.ticket.number },
    async (trx, inboundId) =>
      recordEvents(trx, [
        {
          ticketId: thread.ticket.id,
          type: 'auto_reply_received',
          actor: SYSTEM,
          now: ctx.deps.clock.now(),
          data: { from, inbound: inboundId },
        },
      ]),
  );
}

/** A message that opens a ticket or continues one, stored with what it became in one transaction. */
async function intoTicket(
  ctx: Context,
  mail: InboundMail,
  sender: Sender,
  thread: Thread | undefined,
): Promise<IngestResult> {
  const { deps } = ctx;
  const from = sender.address;
  const files = await mailFiles(deps, mail.parts);
  try {
    return await inUseCase(
      deps,
      SYSTEM,
      async (tx) => {
        const { trx, now } = tx;
        // The same message arriving twice at once (an MTA retry racing the first try) makes one ticket.
        const earlier = mail.messageId ? await lockAndFindAccepted(trx, mail.messageId, from) : undefined;
        if (earlier) return duplicateOf(trx, ctx, earlier, now);
        const done = thread
          ? await continueThread(tx, thread, sender, mail, files, ctx.ref.settings.mail.agentEmailAs)
          : await newTicket(tx, ctx, mail, sender, files);
        const id = await record(trx, ctx, done, now);
        return toResult(id, done, thread?.via);
      },
      ctx.log,
    );
  } catch (err) {
    // A rule of the desk said no (a policy, a limit): kept for an admin, never lost.
    if (err instanceof RuleRejected)
      return stored(ctx, { status: 'rejected', reason: `rule: ${err.rule.name}` }, (trx, inboundId) =>
        recordRejection(
          trx,
          err,
          {
            channel: 'email',
            requester: from,
            subject: mail.subject ?? '',
            payload: { inboundMessageId: inboundId },
          },
          deps.clock.now(),
        ).then(() => undefined),
      );
    if (err instanceof AppError && err.status < 500)
      return stored(ctx, { status: err.status === 403 ? 'rejected' : 'flagged', reason: err.code });
    throw err;
  }
}

async function newTicket(
  tx: TxContext,
  ctx: Context,
  mail: InboundMail,
  sender: Sender,
  files: MailFiles,
): Promise<Disposition> {
  const { trx, ref } = tx;
  const limits = ref.settings.intake;
  const { body, format } = contentOf(mail, false);
  const input = parseInput(CreateTicket, {
    subject: (mail.subject || '(no subject)').slice(0, limits.maxSubjectLength),
    body: body.slice(0, limits.maxBodyLength),
    format,
    requester: { email: sender.address, ...(sender.name ? { name: sender.name.slice(0, 128) } : {}) },
    source: 'email',
    // Robots (alerts, lists, auto-replies) get no automatic answer: two robots would loop.
    autorespond: !mail.automated,
    ...(ctx.mailbox?.department_id ? { department: ctx.mailbox.department_id } : {}),
    ...(ctx.mailbox?.help_topic_id ? { helpTopic: ctx.mailbox.help_topic_id } : {}),
    ...(mail.messageId ? { messageId: mail.messageId } : {}),
    collaborators: ref.settings.mail.ccAsCollaborators
      ? await collaboratorsOf(trx, ref, mail, sender.address)
      : [],
    ...(files.notes.length ? { note: files.notes.join('\n') } : {}),
  });
  const recipients = ctx.meta.recipients ?? [...mail.to, ...mail.cc.map((c) => c.address)];
  const ticket = await openTicket(tx, input, files.stored, recipients);
  const entry = await firstMessageOf(trx, ticket.id);
  await linkInlineImages(trx, entry);
  return { status: 'ticket', ticketId: ticket.id, ticketNumber: ticket.number, entryId: entry.id };
}

/** CC'd people (and other To addresses) except the desk itself, the sender and agents. */
async function collaboratorsOf(trx: Db, ref: ReferenceSnapshot, mail: InboundMail, from: string) {
  const to = mail.to.map((address) => ({ address, name: '' }));
  const people = [...to, ...mail.cc].filter((p) => p.address !== from && !ref.isOwnAddress(p.address));
  if (people.length === 0) return [];
  const agents = await agentsWithEmails(
    trx,
    people.map((p) => p.address),
  );
  const staff = new Set(agents.map((a) => a.email.toLowerCase()));
  const unique = new Map(people.filter((p) => !staff.has(p.address)).map((p) => [p.address, p]));
  return [...unique.values()]
    .slice(0, 50)
    .map((p) => ({ email: p.address, ...(p.name ? { name: p.name.slice(0, 128) } : {}) }));
}

async function duplicateOf(
  trx: Db,
  ctx: Context,
  earlier: { id: number; number: string | null },
  now: number,
): Promise<IngestResult> {
  const d: Disposition = {
    status: 'duplicate',
    reason: `same as inbound #${earlier.id}`,
    ...(earlier.number ? { ticketNumber: earlier.number } : {}),
  };
  return toResult(await record(trx, ctx, d, now), d);
}

/** A delivery failure: noted on the ticket our mail belonged to, never a ticket of its own. */
async function bounced(ctx: Context, mail: InboundMail): Promise<IngestResult> {
  const b = mail.bounce!;
  const sent = await sentWithIds(ctx.deps.db, b.originalIds);
  const ticketId = sent.find((s) => s.ticket_id !== null)?.ticket_id ?? undefined;
  const recipient = b.recipient ?? sent[0]?.to_address;
  return stored(
    ctx,
    {
      status: 'bounce',
      ...(ticketId !== undefined ? { ticketId } : { reason: 'unmatched' }),
      ...(b.status ? { reason: b.status } : {}),
    },
    async (trx, inboundId) => {
      const now = ctx.deps.clock.now();
      await markBounced(
        trx,
        sent.map((s) => s.id),
        b.diagnostic ?? b.status ?? 'bounced',
      );
      if (ticketId !== undefined)
        await recordEvents(trx, [
          {
            ticketId,
            type: 'email_bounced',
            actor: SYSTEM,
            now,
            data: { recipient, status: b.status, diagnostic: b.diagnostic, inbound: inboundId },
          },
        ]);
    },
  );
}

/** Writes the inbound row alone (plus an optional small change) for messages that make no thread entry. */
async function stored(
  ctx: Context,
  d: Disposition,
  also?: (trx: Db, inboundId: number) => Promise<void>,
): Promise<IngestResult> {
  // The ticket's number is read in the transaction: after the commit, a failed read would
  // answer "try again" (451, 75, 503) for a message that was stored.
  const { id, number } = await inTransaction(ctx.deps, async (trx) => {
    const inboundId = await record(trx, ctx, d, ctx.deps.clock.now());
    await also?.(trx, inboundId);
    const ticket =
      !d.ticketNumber && d.ticketId !== undefined ? await findTicketById(trx, d.ticketId) : undefined;
    return { id: inboundId, number: d.ticketNumber ?? ticket?.number };
  });
  return toResult(id, { ...d, ...(number ? { ticketNumber: number } : {}) });
}

async function record(trx: Db, ctx: Context, d: Disposition, now: number): Promise<number> {
  const { meta, mail } = ctx;
  const id = await insertInbound(trx, {
    channel: meta.channel,
    mailboxId: meta.imap?.mailboxId ?? ctx.mailbox?.id ?? null,
    messageId: mail?.messageId ?? null,
    fromAddress: mail?.from?.address ?? null,
    subject: mail?.subject ?? null,
    raw: ctx.raw,
    status: d.status,
    reason: d.reason ?? null,
    ticketId: d.ticketId ?? null,
    entryId: d.entryId ?? null,
    imapKey: meta.imap ? `${meta.imap.mailboxId}:${meta.imap.uidValidity}:${meta.imap.uid}` : null,
    now,
  });
  // Polling's bookmark moves in the same commit: a crash before it re-reads the message, never skips it.
  if (meta.imap) await advanceUid(trx, meta.imap);
  return id;
}

const toResult = (id: number, d: Disposition, threaded?: 'references' | 'token'): IngestResult => ({
  id,
  outcome: d.status,
  ...(d.reason ? { reason: d.reason } : {}),
  ...(d.ticketNumber ? { ticket: d.ticketNumber } : {}),
  ...(d.entryId !== undefined ? { entryId: d.entryId } : {}),
  ...(threaded ? { threaded } : {}),
});

/** The mailbox the message was sent to: the polled one, else the first envelope or header recipient we own. */
function mailboxOf(ref: ReferenceSnapshot, meta: IngestMeta, mail: InboundMail | undefined) {
  if (meta.imap) return ref.mailboxes.find((m) => m.id === meta.imap!.mailboxId);
  const candidates = [
    ...(meta.recipients ?? []),
    ...(mail?.to ?? []),
    ...(mail?.cc.map((c) => c.address) ?? []),
  ];
  for (const a of candidates) {
    const m = ref.mailbox(a);
    if (m) return m;
  }
  return undefined;
}

/** A banned list entry is an address, or a domain written "example.com", "@example.com" or "*@example.com". */
export function isBanned(list: string[], address: string): boolean {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return list.some((entry) => {
    const e = entry.replace(/^\*?@/, '');
    return e.includes('@') ? e === address : e === domain || domain.endsWith(`.${e}`);
  });
}
