import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './json-arbitrary.ts';

// The served OpenAPI document as the contract test reads it: its operations,
// and a judge that checks one answer against what the document promises.

export interface Param {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

interface MediaDoc {
  schema?: JsonSchema;
}

interface ResponseDoc {
  content?: Record<string, MediaDoc>;
  headers?: Record<string, { required?: boolean }>;
}

interface OperationDoc {
  operationId: string;
  parameters?: Param[];
  requestBody?: { required: boolean; content: Record<string, MediaDoc> };
  responses: Record<string, ResponseDoc>;
  security?: unknown[];
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, JsonSchema> };
}

export interface Operation {
  /** "POST /api/v1/tickets/{number}/close" */
  key: string;
  method: string;
  path: string;
  doc: OperationDoc;
  pathParams: Param[];
  queryParams: Param[];
  body?: { media: string; schema: JsonSchema; required: boolean };
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const [media, content] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      out.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        doc: op,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        ...(media && content?.schema
          ? { body: { media, schema: content.schema, required: op.requestBody!.required } }
          : {}),
      });
    }
  }
  return out;
}

/** One answer as the test saw it. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Something the document promised and the answer broke. */
export interface Finding {
  operation: string;
  kind: 'server_error' | 'undocumented_status' | 'wrong_media_type' | 'body_not_valid' | 'missing_header';
  status: number;
  detail: string;
}

// A deliberately loose RFC 6531 shape: the server is the judge of addresses; this only catches non-addresses.
const IDN_EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}.]+(\.[^\s@\p{Cc}.]+)+$/u;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Checks answers against the document with a JSON Schema 2020-12 validator (ajv). */
export class Judge {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  private readonly compiled = new WeakMap<object, ReturnType<Ajv2020['compile']>>();

  constructor(private readonly doc: OpenApiDoc) {
    addFormats(this.ajv);
    this.ajv.addFormat('idn-email', IDN_EMAIL);
  }

  /** Does `value` satisfy `schema` (a schema of this document)? */
  fits(schema: JsonSchema, value: unknown): boolean {
    return this.validator(schema)(value) === true;
  }

  private validator(schema: JsonSchema) {
    const s = this.deref(schema);
    let v = this.compiled.get(s);
    if (!v) {
      // The document's components ride along, so a $ref inside a schema (the Error body's ErrorCode) resolves.
      v = this.ajv.compile({ ...s, components: this.doc.components });
      this.compiled.set(s, v);
    }
    return v;
  }

  private deref(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/components/schemas/', '');
    const target = this.doc.components.schemas[name];
    if (!target) throw new Error(`unknown $ref ${ref}`);
    return target;
  }

  /**
   * Every way the answer breaks the document: a 5xx (osTicket's documented
   * 500 for invalid fields aside), a status not listed, a media type not
   * listed for it, a JSON body its schema refuses, a missing Retry-After.
   */
  check(op: Operation, answer: Answer): Finding[] {
    const found = (kind: Finding['kind'], detail: string): Finding[] => [
      { operation: op.key, kind, status: answer.status, detail },
    ];
    const documented = op.doc.responses[String(answer.status)];
    const plain = Object.keys(documented?.content ?? {}).includes('text/plain');
    if (answer.status >= 500 && !(answer.status === 500 && plain && documented))
      return found('server_error', answer.body.slice(0, 300));
    if (!documented)
      return found(
        'undocumented_status',
        `documented: ${Object.keys(op.doc.responses).join(', ')}; body: ${answer.body.slice(0, 200)}`,
      );
    for (const [name, h] of Object.entries(documented.headers ?? {}))
      if (h.required && answer.headers[name.toLowerCase()] === undefined)
        return found('missing_header', `${name} is documented as always sent`);
    const content = documented.content ?? {};
    if (Object.keys(content).length === 0) {
      return answer.body === '' ? [] : found('body_not_valid', `documented without a body: ${answer.body}`);
    }
    const media = String(answer.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const key = Object.keys(content).find((m) => matchesMedia(m, media));
    if (!key)
      return found('wrong_media_type', `${media || '(none)'} not in ${Object.keys(content).join(', ')}`);
    if (media !== 'application/json') return [];
    let json: unknown;
    try {
      json = JSON.parse(answer.body);
    } catch {
      return found('body_not_valid', `not JSON: ${answer.body.slice(0, 200)}`);
    }
    const validate = this.validator(content[key]!.schema ?? {});
    if (validate(json)) return [];
    // The most telling first: a broken format or pattern before the "which oneOf branch" noise.
    const errors = [...(validate.errors ?? [])]
      .sort(
        (a, b) =>
          Number(b.keyword === 'format' || b.keyword === 'pattern') -
          Number(a.keyword === 'format' || a.keyword === 'pattern'),
      )
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message}`);
    return found('body_not_valid', `${errors.join('; ')}; body: ${answer.body.slice(0, 300)}`);
  }
}

function matchesMedia(documented: string, actual: string): boolean {
  if (documented === '*/*') return true;
  if (documented.endsWith('/*')) return actual.startsWith(documented.slice(0, -1));
  return documented === actual;
}
