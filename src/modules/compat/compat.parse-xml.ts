import { XMLParser } from 'fast-xml-parser';
import { CompatError } from './compat.errors.ts';
import type { CompatAttachment, Fields, OsTicketRequest } from './compat.parse-json.ts';

// osTicket's `tickets.xml` body: `<ticket alert="…" autorespond="…" source="…">`
// with the same names as the JSON fields as elements, `<message type="text/html">`,
// and `<attachments><file name type encoding="base64">…</file></attachments>`.

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'file',
});

export function parseXmlRequest(body: Buffer): OsTicketRequest {
  const text = body.toString('utf8');
  // A ticket never needs a DTD; entity definitions are only a way to blow up the parser.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new CompatError(400, 'DOCTYPE is not allowed');
  let doc: Fields;
  try {
    doc = xml.parse(text, true) as Fields;
  } catch {
    throw new CompatError(400, 'Invalid XML body');
  }
  const ticket = doc.ticket;
  if (!ticket || typeof ticket !== 'object') throw new CompatError(400, 'Expected a <ticket> document');
  const fields: Fields = {};
  for (const [name, value] of Object.entries(ticket as Fields)) {
    if (name !== 'attachments') fields[name.replace(/^@/, '')] = textOf(value);
  }
  const message = (ticket as Fields).message;
  const type = message && typeof message === 'object' ? String((message as Fields)['@type'] ?? '') : '';
  // The JSON form of an HTML message is a data URL; the mapping reads that one form.
  if (type.toLowerCase() === 'text/html')
    fields.message = `data:text/html;charset=utf-8,${encodeURIComponent(String(fields.message ?? ''))}`;
  return { fields, attachments: xmlAttachments((ticket as Fields).attachments) };
}

/** An element's text, whether it carried attributes or not; nested elements have none. */
function textOf(v: unknown): unknown {
  if (v && typeof v === 'object') return '#text' in v ? (v as Fields)['#text'] : '';
  return v;
}

function xmlAttachments(value: unknown): CompatAttachment[] {
  const files = (value && typeof value === 'object' ? (value as { file?: unknown }).file : undefined) ?? [];
  if (!Array.isArray(files)) return [];
  return files.map((f: unknown) => {
    const file = f && typeof f === 'object' ? (f as Fields) : { '#text': f };
    const type = file['@type'] ? String(file['@type']) : undefined;
    const content = String(file['#text'] ?? '');
    const base64 = String(file['@encoding'] ?? '').toLowerCase() === 'base64';
    return {
      filename: String(file['@name'] ?? ''),
      data: base64 ? content.replace(/\s+/g, '') : Buffer.from(content, 'utf8').toString('base64'),
      ...(type ? { contentType: type } : {}),
    };
  });
}
