import type { ReactNode } from 'react';
import { ApiError } from '../../ui/api.ts';

// The admin screens are driven by descriptions: each resource says which
// fields its form has and which columns its table shows; one page component
// (ResourcePage) and one form (ResourceForm) render them all. This file holds
// the description types and the pure conversions between an API row, the
// form's values and the request body.

export type Row = Record<string, unknown> & { id: number };
export interface Option {
  value: string;
  label: string;
}
/** Rows of the resources that fields and columns refer to, by API path (e.g. 'departments'). */
export type Refs = ReadonlyMap<string, Row[]>;
/** One problem from a 422, with its path relative to the field it belongs to. */
export interface Issue {
  path: string;
  message: string;
}
export type FormValues = Record<string, unknown>;

export interface EditorProps {
  value: unknown;
  onChange: (value: unknown) => void;
  issues: Issue[];
  refs: Refs;
  /** The whole form (a preview needs the other fields). */
  form: FormValues;
  /** Sets another field of the form (a template kind fills in its built-in text). */
  set: (key: string, value: unknown) => void;
  label: string;
}

export type FieldKind =
  | 'text'
  | 'email'
  | 'password'
  | 'textarea'
  | 'number'
  | 'bool'
  | 'color'
  | 'select'
  | 'multi'
  | 'tags'
  | 'ref'
  | 'refs'
  | 'json'
  | 'custom';

export interface Field {
  /** Dotted path of the value in the request body ('imap.host'). */
  key: string;
  label: string;
  kind: FieldKind;
  /** For 'select' and 'multi'. */
  options?: readonly (string | Option)[];
  /** For 'ref' and 'refs': the API path whose rows are the choices. */
  ref?: string;
  /** Where the value sits in a listed row (default: `key`). */
  from?: string | ((row: Row) => unknown);
  /** Only in the create or only in the edit form (the API refuses it in the other). */
  on?: 'create' | 'edit';
  required?: boolean;
  /** Empty is sent as null (clears it); otherwise an empty value is left out. */
  nullable?: boolean;
  description?: string;
  placeholder?: string;
  default?: unknown;
  /** For 'custom': the editor; `toApi` turns its value into the body's. */
  editor?: (p: EditorProps) => ReactNode;
  toApi?: (value: unknown) => unknown;
  /** Consecutive fields of one group are framed together under this title. */
  group?: string;
  /** Shown in the form only; never sent (e.g. a preview). */
  virtual?: boolean;
}

export interface Column {
  label: string;
  render: (row: Row, refs: Refs) => ReactNode;
}

export interface ResourceSpec {
  /** Under /api/v1; also the URL section (/agent/admin/<section>). */
  path: string;
  section: string;
  title: string;
  singular: string;
  intro: string;
  fields: Field[];
  columns: Column[];
  /** Other resources the columns or custom editors read (fields' own `ref`s are added). */
  refs?: string[];
  /** Query string of the list request. */
  listQuery?: string;
  canCreate?: boolean;
  canEdit?: boolean;
  /** Delete (refused while in use), revoke (API keys), or nothing (agents are deactivated instead). */
  remove?: 'delete' | 'revoke';
  /** Rows that may not be removed get no button (system statuses, revoked keys). */
  canRemove?: (row: Row) => boolean;
  /** The name a row is called by in titles and confirmations. */
  nameOf?: (row: Row) => string;
  /** Last touch on the body (e.g. a mailbox without an IMAP host is not polled). */
  finish?: (body: FormValues, mode: 'create' | 'edit') => FormValues;
  /** Shown once after a create (an API key's secret). */
  created?: (result: Row) => ReactNode;
}

export const labelOf = (row: Row): string => String(row.name ?? row.address ?? row.subject ?? `#${row.id}`);

export function getPath(obj: unknown, path: string): unknown {
  let at = obj;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

function setPath(obj: FormValues, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = obj;
  for (const part of parts.slice(0, -1)) {
    if (typeof at[part] !== 'object' || at[part] === null) at[part] = {};
    at = at[part] as FormValues;
  }
  at[parts[parts.length - 1]!] = value;
}

export const fieldsFor = (fields: Field[], mode: 'create' | 'edit') =>
  fields.filter((f) => f.on === undefined || f.on === mode);

const ids = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

/** A row's value as the form holds it (strings for inputs, ids as strings for selects). */
function formValue(f: Field, raw: unknown): unknown {
  switch (f.kind) {
    case 'bool':
      return raw === true;
    case 'number':
      return typeof raw === 'number' ? raw : '';
    case 'ref':
    case 'select':
      return raw === null || raw === undefined ? null : String(raw);
    case 'refs':
    case 'multi':
    case 'tags':
      return ids(raw);
    case 'json': {
      if (raw === undefined) return '';
      // Short values stay on one line; long ones are indented to be read.
      const line = JSON.stringify(raw);
      return line.length <= 72 ? line : JSON.stringify(raw, null, 2);
    }
    case 'custom':
      return raw;
    default:
      return raw === null || raw === undefined ? '' : String(raw);
  }
}

export function initialValues(fields: Field[], row: FormValues | null): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    const raw = row
      ? typeof f.from === 'function'
        ? f.from(row as Row)
        : getPath(row, f.from ?? f.key)
      : f.default;
    values[f.key] = formValue(f, raw);
  }
  return values;
}

const isEmpty = (v: unknown) => v === '' || v === null || v === undefined;

/**
 * The request body from the form. Problems the browser can already see (JSON
 * that does not parse) come back as issues instead, keyed like the API's.
 */
export function toBody(fields: Field[], values: FormValues): { body: FormValues; issues: Issue[] } {
  const body: FormValues = {};
  const issues: Issue[] = [];
  for (const f of fields) {
    if (f.virtual) continue;
    let v = values[f.key];
    if (f.kind === 'json') {
      if (isEmpty(v) || String(v).trim() === '') v = null;
      else
        try {
          v = JSON.parse(String(v));
        } catch {
          issues.push({ path: f.key, message: 'not valid JSON' });
          continue;
        }
    }
    if (f.kind === 'number' && !isEmpty(v)) v = Number(v);
    if (f.kind === 'ref' && !isEmpty(v)) v = Number(v);
    if (f.kind === 'refs') v = ids(v).map(Number);
    if (f.kind === 'text' || f.kind === 'email' || f.kind === 'textarea') v = String(v ?? '');
    if (f.toApi) v = f.toApi(v);
    if (isEmpty(v)) {
      if (f.nullable) setPath(body, f.key, null);
      else if (f.kind === 'text' && f.required) setPath(body, f.key, '');
      continue;
    }
    setPath(body, f.key, v);
  }
  return { body, issues };
}

/** The API's 422 details, shared out to the fields they name; the rest stay general. */
export function issuesOf(error: unknown, fields: Field[]): { byField: Map<string, Issue[]>; rest: Issue[] } {
  const byField = new Map<string, Issue[]>();
  const rest: Issue[] = [];
  const details = error instanceof ApiError && Array.isArray(error.details) ? (error.details as Issue[]) : [];
  for (const d of details) {
    if (typeof d?.path !== 'string') continue;
    const f = fields.find((x) => d.path === x.key || d.path.startsWith(`${x.key}.`));
    if (!f) {
      rest.push(d);
      continue;
    }
    const list = byField.get(f.key) ?? [];
    list.push({ path: d.path.slice(f.key.length + 1), message: d.message });
    byField.set(f.key, list);
  }
  return { byField, rest };
}

/** Issues as one line under a field: "hours.mon.0: start must be before end". */
export const issueText = (issues: Issue[] | undefined): string | undefined =>
  issues && issues.length > 0
    ? issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
    : undefined;

export const refName = (refs: Refs, path: string, id: unknown): string => {
  if (id === null || id === undefined) return '—';
  const row = refs.get(path)?.find((r) => r.id === id);
  return row ? labelOf(row) : `#${String(id)}`;
};

export const refOptions = (refs: Refs, path: string): Option[] =>
  (refs.get(path) ?? []).map((r) => ({ value: String(r.id), label: labelOf(r) }));

export const refPaths = (spec: { fields: Field[]; refs?: string[] }): string[] => [
  ...new Set([...(spec.refs ?? []), ...spec.fields.flatMap((f) => (f.ref ? [f.ref] : []))]),
];

/** The browser's IANA zones, UTC first (the API checks the name). */
const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
export const TIME_ZONES = ['UTC', ...zones.filter((z) => z !== 'UTC')];
