import type { Deps } from '../../lib/deps.ts';
import { cleanDeep } from '../../lib/text-input.ts';
import { decodeData } from '../attachments/attachments.input.ts';
import type { Actor } from '../auth/auth.actor.ts';
import type { IdempotencyClaim } from '../tickets/tickets.idempotency.ts';
import { createTicketOnce } from '../tickets/tickets.intake.service.ts';
import type { CreateTicketInput } from '../../contract/tickets.contract.ts';
import { CompatError } from './compat.errors.ts';
import { ingestMail, type IngestResult } from '../mail/mail.ingest.service.ts';
import { parseJsonRequest, type OsTicketRequest } from './compat.parse-json.ts';
import { parseXmlRequest } from './compat.parse-xml.ts';

// osTicket's ticket API (../shared/reference/osticket-api.md) as a use case:
// a body in one of its three formats → Deskline's CreateTicket input → the
// same createTicket every channel goes through. Other fields (osTicket's custom
// form fields) are kept as the ticket's custom fields, where routing rules can match them.

export const COMPAT_FORMATS = ['json', 'xml', 'email'] as const;
export type CompatFormat = (typeof COMPAT_FORMATS)[number];

/** Opens the ticket a request asks for; a retry with the same Idempotency-Key gets the first ticket back. */
export async function createFromCompat(
  deps: Deps,
  actor: Actor,
  format: CompatFormat,
  body: Buffer,
  claim?: IdempotencyClaim,
): Promise<{ number: string; replayed: boolean }> {
  if (format === 'email') return fromEmail(deps, body);
  // Made storable after the mapping, which decodes the message's data URL (lib/text-input.ts).
  const input = cleanDeep(toCreateInput(format === 'json' ? parseJsonRequest(body) : parseXmlRequest(body)));
  const { ticket, replayed } = await createTicketOnce(deps, actor, input, claim);
  return { number: ticket.number, replayed };
}

/**
 * A raw message goes through the email channel like any other mail
 * (threading, loops, bounces). Its Message-ID is its idempotency key: the same
 * message posted again answers the first ticket's number. 201 always carries
 * the number of the ticket the message opened or belongs to (osTicket's
 * clients read the body as the ticket id); a message kept for an admin
 * without a ticket is an error status, never a 201 with no number.
 */
async function fromEmail(deps: Deps, body: Buffer): Promise<{ number: string; replayed: boolean }> {
  if (body.length === 0) throw new CompatError(400, 'Empty message');
  const result = await ingestMail(deps, body, { channel: 'api' });
  if (result.ticket) return { number: result.ticket, replayed: result.outcome === 'duplicate' };
  throw noTicket(result);
}

/** Why a message made no ticket, in the statuses osTicket's automail scripts turn into an MTA's exit codes. */
function noTicket(r: IngestResult): CompatError {
  const why = r.reason ?? r.outcome;
  if (r.outcome === 'rejected') return new CompatError(403, `Message refused (${why})`);
  if (r.outcome === 'ignored')
    return new CompatError(403, `Message refused: it comes from this desk (${why})`);
  if (why === 'too_large') return new CompatError(413, 'Message too large');
  if (why === 'no_sender') return new CompatError(400, 'The message has no From address');
  if (why === 'unreadable') return new CompatError(400, 'Unreadable message');
  return new CompatError(
    400,
    `The message made no ticket (${r.outcome}: ${why}); it is kept as inbound message #${r.id} for an administrator`,
  );
}

const SOURCES = new Set(['api', 'email', 'phone', 'web', 'other'] as const);
type SourceT = CreateTicketInput['source'];

/** The field mapping; a missing required field answers 500 like osTicket 1.17.3+. */
export function toCreateInput({ fields: f, attachments }: OsTicketRequest): CreateTicketInput {
  const missing = ['email', 'name', 'subject', 'message'].filter((k) => !str(f[k]));
  if (missing.length) throw new CompatError(500, `Required field(s) missing: ${missing.join(', ')}`);
  const { body, format } = messageOf(str(f.message)!);
  const source = str(f.source)?.toLowerCase() as SourceT;
  const priority = str(f.priority) ?? str(f.priorityId);
  const topic = str(f.topicId);
  const phone = str(f.phone);
  const input: CreateTicketInput = {
    subject: str(f.subject)!,
    body,
    format,
    requester: { email: str(f.email)!, name: str(f.name)!, ...(phone ? { phone } : {}) },
    source: source && SOURCES.has(source) ? source : 'api',
    alert: bool(f.alert, true),
    autorespond: bool(f.autorespond, true),
  };
  if (topic) input.helpTopic = /^\d+$/.test(topic) ? Number(topic) : topic;
  if (priority) input.priority = /^\d+$/.test(priority) ? Number(priority) : priority;
  if (str(f.notes)) input.note = str(f.notes)!;
  const due = str(f.duedate);
  if (due) {
    const at = Date.parse(due);
    if (Number.isNaN(at)) throw new CompatError(500, `duedate is not a date: ${due}`);
    input.dueAt = at;
  }
  if (attachments.length) input.attachments = attachments;
  const custom = Object.entries(f)
    .filter(([k, v]) => !KNOWN.has(k) && str(v) !== undefined && k.length <= 64)
    .slice(0, 50);
  if (custom.length) input.fields = Object.fromEntries(custom.map(([k, v]) => [k, str(v)!.slice(0, 4000)]));
  return input;
}

const KNOWN = new Set(
  'email name subject message source priority priorityId topicId phone alert autorespond notes duedate ip attachments'.split(
    ' ',
  ),
);

/** Plain text, or a data URL (`data:text/html;charset=utf-8,…`) whose HTML is sanitized when stored. */
function messageOf(message: string): { body: string; format: 'text' | 'html' } {
  if (!message.startsWith('data:')) return { body: message, format: 'text' };
  let decoded: { bytes: Buffer; type: string };
  try {
    decoded = decodeData(message);
  } catch {
    throw new CompatError(400, 'message is not a valid data URL');
  }
  return { body: decoded.bytes.toString('utf8'), format: decoded.type.includes('html') ? 'html' : 'text' };
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v.trim() || undefined : typeof v === 'number' ? String(v) : undefined;

function bool(v: unknown, fallback: boolean): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return !['0', 'false', 'no', 'off', ''].includes(v.trim().toLowerCase());
  return fallback;
}
