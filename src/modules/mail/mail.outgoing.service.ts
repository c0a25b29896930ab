import crypto from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { Job, MailKind, MailLogRow } from '../../db/schema.ts';
import { HOUR, type Clock } from '../../lib/clock.ts';
import { pathFor } from '../attachments/attachments.store.ts';
import { loadReference, type ReferenceCache, type ReferenceSnapshot } from '../directory/reference-cache.ts';
import * as log from './mail.log.repository.ts';
import type { Rendered } from './mail.templates.ts';
import type { MailTransport } from './mail.transport.ts';

export interface OutboxContext {
  db: Db;
  clock: Clock;
  publicUrl: string;
  /** Where attachment files live (the data directory). */
  dataDir?: string;
  /** Without one (no SMTP_URL) mail is only kept in the mail log. */
  transport?: MailTransport;
  /** The server's shared snapshot (settings, mailboxes, departments); without one each job reads them. */
  reference?: ReferenceCache;
}

export const referenceFor = (ctx: OutboxContext): Promise<ReferenceSnapshot> =>
  ctx.reference ? ctx.reference.get() : loadReference(ctx.db);

/** One rendered mail for one or more recipients. */
export interface Letter {
  ticketId: number | null;
  departmentId: number | null;
  to: string[];
  mail: Rendered;
  kind: MailKind;
  /** An automatic answer to a message that came by email: counted against, and held to, the hourly limit. */
  answersEmail?: boolean;
  inReplyTo?: string;
  references?: string[];
  attachments?: { sha256: string; filename: string; contentType: string }[];
}

/**
 * Sends a letter exactly once per (job, recipient). Each recipient's row is
 * written first with a random, stable Message-ID (status pending), then handed
 * to SMTP, then marked sent — all before the job is acknowledged. A retry
 * skips rows already sent; the one window left (the worker dies between the
 * relay's 250 and the update) resends the same Message-ID, which receiving
 * systems treat as the same message.
 */
export async function sendLetter(ctx: OutboxContext, job: Job, letter: Letter): Promise<void> {
  const ref = await referenceFor(ctx);
  const settings = ref.settings.mail;
  const to = [...new Set(letter.to.map((a) => a.trim().toLowerCase()))].filter(
    (a) => a && !ref.isOwnAddress(a),
  );
  if (to.length === 0) return;
  const now = ctx.clock.now();
  const limited =
    letter.kind === 'auto' && letter.answersEmail
      ? await overAutoReplyLimit(ctx.db, to, now, settings.autoRepliesPerHour)
      : new Set();
  const from = senderFor(ref, letter.departmentId);
  const host = from.address.slice(from.address.indexOf('@') + 1) || 'deskline.local';
  await log.insertLetterRows(
    ctx.db,
    to.map((address) => ({
      job_id: job.id,
      ticket_id: letter.ticketId,
      to_address: address,
      from_address: from.address,
      subject: letter.mail.subject,
      body: letter.mail.body,
      message_id: `<${crypto.randomBytes(12).toString('hex')}.${job.id}@${host}>`,
      in_reply_to: letter.inReplyTo ?? null,
      references: letter.references?.length ? letter.references.join(' ') : null,
      attachments: letter.attachments?.length ? JSON.stringify(letter.attachments) : null,
      kind: letter.kind,
      status: limited.has(address) ? 'skipped' : ctx.transport ? 'pending' : 'logged',
      error: limited.has(address) ? 'automatic replies to this address are over the hourly limit' : null,
      created_at: now,
    })),
  );
  if (!ctx.transport) return;
  const pending = await log.pendingOfJob(ctx.db, job.id);
  for (const row of pending) await deliver(ctx, ctx.transport, row, from.name, settings.fromAddress);
}

async function deliver(
  ctx: OutboxContext,
  transport: MailTransport,
  row: MailLogRow,
  fromName: string,
  fallbackFrom: string,
): Promise<void> {
  const files = row.attachments
    ? (JSON.parse(row.attachments) as { sha256: string; filename: string; contentType: string }[])
    : [];
  const address = row.from_address ?? fallbackFrom;
  try {
    await transport.send({
      from: { name: fromName, address },
      to: row.to_address,
      replyTo: address,
      subject: row.subject,
      text: row.body,
      messageId: row.message_id,
      ...(row.in_reply_to ? { inReplyTo: row.in_reply_to } : {}),
      ...(row.references ? { references: row.references.split(' ') } : {}),
      headers: automationHeaders(row.kind),
      attachments: ctx.dataDir
        ? files.map((f) => ({
            filename: f.filename,
            contentType: f.contentType,
            path: pathFor(ctx.dataDir!, f.sha256),
          }))
        : [],
    });
  } catch (err) {
    await log.recordSendError(
      ctx.db,
      row.id,
      String(err instanceof Error ? err.message : err).slice(0, 1000),
    );
    throw err; // the job retries with backoff; rows already sent are skipped then
  }
  await log.markSent(ctx.db, row.id, ctx.clock.now());
}

/** RFC 3834: robots must not answer our automatic mail (and Exchange is asked not to send out-of-office replies). */
function automationHeaders(kind: MailKind | null): Record<string, string> {
  if (kind === 'auto') return { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' };
  if (kind === 'agent') return { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' };
  return {};
}

/**
 * Addresses that already had `limit` automatic replies to their emailed
 * messages in the last hour (loop safety: two robots answering each other).
 * Acknowledgements of tickets opened in the portal, by phone or through the
 * API neither count nor wait: a person is on the other end.
 */
async function overAutoReplyLimit(db: Db, to: string[], now: number, limit: number): Promise<Set<string>> {
  const rows = await log.autoRepliesToEmailSince(db, to, now - HOUR);
  return new Set(rows.filter((r) => Number(r.n) >= limit).map((r) => r.to_address));
}

/** The department's mailbox, else its email, else the desk's address; replies come back to it. */
function senderFor(ref: ReferenceSnapshot, departmentId: number | null): { name: string; address: string } {
  const { fromAddress, fromName } = ref.settings.mail;
  if (departmentId !== null) {
    const box = ref.mailboxes.filter((m) => m.department_id === departmentId).sort((a, b) => a.id - b.id)[0];
    if (box) return { name: box.name, address: box.address };
    const dept = ref.department(departmentId);
    if (dept?.email) return { name: `${fromName} (${dept.name})`, address: dept.email.toLowerCase() };
  }
  return { name: fromName, address: fromAddress.toLowerCase() };
}
