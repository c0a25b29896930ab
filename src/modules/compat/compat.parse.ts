import { XMLParser } from 'fast-xml-parser';
import { decodeData } from '../attachments/attachments.input.ts';
import type { CreateTicketInput } from '../tickets/tickets.schemas.ts';
import { CompatError } from './compat.errors.ts';

// osTicket's ticket API bodies (JSON and XML) → Deskline's CreateTicket input.
// Field names and meanings follow ../shared/reference/osticket-api.md; unknown
// fields (custom form fields) are accepted and ignored, as osTicket does.

type Fields = Record<string, unknown>;
type Attachment = { filename: string; data: string; contentType?: string };

const SOURCES: Record<string, CreateTicketInput['source']> = {
  api: 'api',
  email: 'email',
  phone: 'phone',
  web: 'web',
  other: 'other',
};

export function parseJsonTicket(body: Buffer): CreateTicketInput {
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    throw new CompatError(400, 'Invalid JSON body');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new CompatError(400, 'Expected a JSON object');
  const fields = data as Fields;
  return toCreateInput(fields, jsonAttachments(fields.attachments));
}

function jsonAttachments(value: unknown): Attachment[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CompatError(400, 'attachments must be an array');
  return value.map((item) => {
    const entries = item && typeof item === 'object' ? Object.entries(item as Fields) : [];
    const [name, url] = entries[0] ?? [];
    if (entries.length !== 1 || typeof url !== 'string' || !name)
      throw new CompatError(400, 'Each attachment must be {"file name": "data:…"}');
    return { filename: name, data: url };
  });
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'file',
});

export function parseXmlTicket(body: Buffer): CreateTicketInput {
  let doc: Fields;
  try {
    doc = xml.parse(body.toString('utf8'), true) as Fields;
  } catch {
    throw new CompatError(400, 'Invalid XML body');
  }
  const ticket = doc.ticket as Fields | undefined;
  if (!ticket || typeof ticket !== 'object') throw new CompatError(400, 'Expected a <ticket> document');
  const fields: Fields = {};
  for (const [k, v] of Object.entries(ticket)) {
    if (k === 'attachments') continue;
    fields[k.replace(/^@/, '')] = textOf(v);
  }
  const message = ticket.message as Fields | string | undefined;
  const type = typeof message === 'object' ? String(message['@type'] ?? '') : '';
  if (type.toLowerCase() === 'text/html')
    fields.message = `data:text/html;charset=utf-8,${encodeURIComponent(String(fields.message ?? ''))}`;
  return toCreateInput(fields, xmlAttachments(ticket.attachments));
}

const textOf = (v: unknown): unknown =>
  v && typeof v === 'object' && '#text' in (v as Fields)
    ? (v as Fields)['#text']
    : typeof v === 'object'
      ? ''
      : v;

function xmlAttachments(value: unknown): Attachment[] {
  const files = (value as { file?: Fields[] } | undefined)?.file ?? [];
  return files.map((f) => {
    const name = String(f['@name'] ?? '');
    const type = f['@type'] ? String(f['@type']) : undefined;
    const content = String(f['#text'] ?? '');
    const base64 = String(f['@encoding'] ?? '').toLowerCase() === 'base64';
    return {
      filename: name,
      data: base64 ? content.replace(/\s+/g, '') : Buffer.from(content, 'utf8').toString('base64'),
      ...(type ? { contentType: type } : {}),
    };
  });
}

/** The shared mapping: required fields checked here answer 500 like osTicket 1.17.3+. */
export function toCreateInput(f: Fields, attachments: Attachment[]): CreateTicketInput {
  const missing = ['email', 'name', 'subject', 'message'].filter((k) => !str(f[k]));
  if (missing.length) throw new CompatError(500, `Required field(s) missing: ${missing.join(', ')}`);
  const { body, format } = messageOf(str(f.message)!);
  const source = str(f.source)?.toLowerCase();
  const priority = str(f.priority) ?? str(f.priorityId);
  const topic = str(f.topicId);
  const due = str(f.duedate);
  const input: CreateTicketInput = {
    subject: str(f.subject)!,
    body,
    format,
    requester: {
      email: str(f.email)!,
      name: str(f.name)!,
      ...(str(f.phone) ? { phone: str(f.phone)! } : {}),
    },
    source: source && SOURCES[source] ? SOURCES[source] : 'api',
    alert: bool(f.alert, true),
    autorespond: bool(f.autorespond, true),
  };
  if (topic) input.helpTopic = /^\d+$/.test(topic) ? Number(topic) : topic;
  if (priority) input.priority = /^\d+$/.test(priority) ? Number(priority) : priority;
  if (str(f.notes)) input.note = str(f.notes)!;
  if (due) {
    const at = Date.parse(due);
    if (Number.isNaN(at)) throw new CompatError(500, `duedate is not a date: ${due}`);
    input.dueAt = at;
  }
  if (attachments.length) input.attachments = attachments;
  return input;
}

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
