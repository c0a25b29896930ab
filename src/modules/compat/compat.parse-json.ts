import { jsonNestsDeeper, MAX_JSON_DEPTH } from '../../lib/json-depth.ts';
import { CompatError } from './compat.errors.ts';

// osTicket's `tickets.json` body: one object with the ticket's fields and an
// `attachments` array of single-key objects {"file name": "data:…"}. Read
// whatever the Content-Type said: osTicket's PHP clients send none (curl then
// says form-urlencoded), its Perl client says text/plain.

/** The fields as sent (names as osTicket spells them); mapped to a ticket by compat.service.ts. */
export type Fields = Record<string, unknown>;

export interface CompatAttachment {
  filename: string;
  /** A data URL or base64. */
  data: string;
  contentType?: string;
}

/** One osTicket API request, whatever format carried it. */
export interface OsTicketRequest {
  fields: Fields;
  attachments: CompatAttachment[];
}

export function parseJsonRequest(body: Buffer): OsTicketRequest {
  if (jsonNestsDeeper(body))
    throw new CompatError(400, `The JSON nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep`);
  let data: unknown;
  try {
    // A byte-order mark is what some Windows tools put first; JSON.parse refuses it.
    data = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new CompatError(400, 'Invalid JSON body');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new CompatError(400, 'Expected a JSON object');
  const { attachments, ...fields } = data as Fields;
  return { fields, attachments: jsonAttachments(attachments) };
}

function jsonAttachments(value: unknown): CompatAttachment[] {
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
