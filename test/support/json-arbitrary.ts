import fc from 'fast-check';

// fast-check arbitraries from the JSON Schemas of the served OpenAPI document
// (which the server builds from its zod schemas): values the document calls
// valid, and values it calls invalid, one defect at a time (a missing
// required field, a wrong type, a number out of range, a string too long, an
// unknown property on a closed object) plus hostile text (NUL, odd Unicode).

export type JsonSchema = { [key: string]: unknown };

export interface GenContext {
  /** Known-good values for a property name (existing departments, agents, tickets…), tried half the time. */
  hints: (property: string) => readonly unknown[];
  /** Whether a value satisfies a schema (the document's own validator), so a hint never breaks a type. */
  fits: (schema: JsonSchema, value: unknown) => boolean;
}

/** Generated strings stay short; a schema's maxLength of a megabyte is tested by the "too long" variant. */
const SPAN = 24;
const SAFE = Number.MAX_SAFE_INTEGER;

/** Hostile text worth sending anywhere text is taken. */
export const ODD_TEXT = [
  '\u0000',
  'a\u0000b',
  '\uFEFFbom',
  '\u202Eevil\u202C',
  '\uD800',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '\u200B',
  'ǅ ß ﬃ İ',
  '\u000B\u000C\r\n',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  '../../etc/passwd',
  '%00%n%s',
  '𝕏'.repeat(40),
] as const;

const asSchema = (s: unknown): JsonSchema => (s && typeof s === 'object' ? (s as JsonSchema) : {});
const types = (s: JsonSchema): string[] =>
  Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
const branches = (s: JsonSchema): JsonSchema[] | undefined =>
  (s.anyOf ?? s.oneOf) ? ((s.anyOf ?? s.oneOf) as unknown[]).map(asSchema) : undefined;

function numberBounds(s: JsonSchema, integer: boolean): { min: number; max: number } {
  const step = integer ? 1 : Number.EPSILON;
  let min = typeof s.minimum === 'number' ? s.minimum : -SAFE;
  let max = typeof s.maximum === 'number' ? s.maximum : SAFE;
  if (typeof s.exclusiveMinimum === 'number') min = Math.max(min, s.exclusiveMinimum + step);
  if (typeof s.exclusiveMaximum === 'number') max = Math.min(max, s.exclusiveMaximum - step);
  return { min: Math.max(min, -SAFE), max: Math.min(max, SAFE) };
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const { min, max } = numberBounds(s, integer);
  // Small values near the lower bound are the common case; the whole range is tried too.
  const near = Math.min(max, Math.max(min, 0) + 50);
  if (integer)
    return fc.oneof(
      fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(near, min)) }),
      fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
    );
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

const isoDay = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
  const maxLength = typeof s.maxLength === 'number' ? s.maxLength : minLength + SPAN;
  const within = (a: fc.Arbitrary<string>) =>
    a.filter((v) => [...v].length >= minLength && [...v].length <= maxLength);
  // Dates by their format (a pattern alone allows 2025-02-30); everything else by its pattern
  // when it has one (the server's own check), else by its format.
  if (s.format === 'date') return isoDay;
  if (s.format === 'date-time')
    return fc
      .date({ min: new Date('2000-01-01Z'), max: new Date('2099-12-31Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (typeof s.pattern === 'string')
    return within(fc.stringMatching(new RegExp(s.pattern, 'u'), { size: 'small' }));
  switch (s.format) {
    case 'email':
    case 'idn-email':
      return within(fc.emailAddress({ size: 'small' }));
    case 'uri':
    case 'url':
      return within(fc.webUrl({ size: 'small' }));
  }
  const top = Math.min(maxLength, minLength + SPAN);
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength, maxLength: top, unit: 'grapheme-ascii' }) },
    { weight: 1, arbitrary: fc.string({ minLength, maxLength: top, unit: 'grapheme' }) },
  );
}

const ABSENT = Symbol('absent');

function objectArb(s: JsonSchema, ctx: GenContext): fc.Arbitrary<Record<string, unknown>> {
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, p] of Object.entries(props)) {
    const arb = propertyArb(name, asSchema(p), ctx);
    // An optional field is left out two times in three: a request naming a few things is the common one.
    shape[name] = required.has(name)
      ? arb
      : fc.oneof({ weight: 2, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: arb });
  }
  const fixed = fc
    .record(shape)
    .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ABSENT)));
  const extra = s.additionalProperties;
  if (!extra || Object.keys(props).length > 0) return fixed;
  // A record (z.record): a few keys named by its propertyNames.
  const keys = stringArb({ minLength: 1, maxLength: 12, ...asSchema(s.propertyNames) });
  return fc.dictionary(keys, valid(asSchema(extra), ctx), { maxKeys: 3 });
}

/** A property's value: a hint that fits its schema two times in three, a generated one otherwise. */
function propertyArb(name: string, s: JsonSchema, ctx: GenContext): fc.Arbitrary<unknown> {
  return withHints(ctx.hints(name), s, ctx, valid(s, ctx));
}

/** `own`, or (two times in three) one of the hints that fit `s`. */
export function withHints(
  hints: readonly unknown[],
  s: JsonSchema,
  ctx: GenContext,
  own: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const fitting = hints.filter((h) => ctx.fits(s, h));
  return fitting.length
    ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...fitting) }, { weight: 1, arbitrary: own })
    : own;
}

/** Values the schema accepts. */
export function valid(schema: JsonSchema, ctx: GenContext): fc.Arbitrary<unknown> {
  const s = asSchema(schema);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const any = branches(s);
  if (any) return fc.oneof(...any.map((b) => valid(b, ctx)));
  if (Array.isArray(s.allOf) && s.allOf.length) return valid(asSchema(s.allOf[0]), ctx);
  const t = types(s);
  if (t.length > 1) return fc.oneof(...t.map((one) => valid({ ...s, type: one }, ctx)));
  switch (t[0]) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = typeof s.minItems === 'number' ? s.minItems : 0;
      const maxLength = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 3, minLength + 3);
      return fc.array(valid(asSchema(s.items), ctx), { minLength, maxLength });
    }
    case 'object':
      return objectArb(s, ctx);
  }
  if (s.properties) return objectArb(s, ctx);
  return fc.jsonValue({ maxDepth: 2 });
}

// ---- invalid values ---------------------------------------------------------

/** One place in a generated value, with the schema that governs it. */
interface Slot {
  path: (string | number)[];
  schema: JsonSchema;
}

function slots(value: unknown, schema: JsonSchema, path: (string | number)[] = [], out: Slot[] = []) {
  const s = resolveBranch(schema, value);
  out.push({ path, schema: s });
  if (Array.isArray(value) && s.items)
    value.forEach((v, i) => slots(v, asSchema(s.items), [...path, i], out));
  else if (value && typeof value === 'object' && s.properties) {
    for (const [k, v] of Object.entries(value)) {
      const p = (s.properties as Record<string, unknown>)[k];
      if (p) slots(v, asSchema(p), [...path, k], out);
    }
  }
  return out;
}

/** The anyOf branch a value came from, judged by its JSON type. */
function resolveBranch(s: JsonSchema, value: unknown): JsonSchema {
  const any = branches(s);
  if (!any) return s;
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return (
    any.find((b) => {
      const t = types(b);
      return t.includes(kind) || (kind === 'number' && t.includes('integer'));
    }) ?? s
  );
}

const wrongType = (s: JsonSchema): unknown[] => {
  const t = types(s);
  if (t.includes('string')) return [12345, true, ['x'], { x: 1 }];
  if (t.includes('integer') || t.includes('number')) return ['12', true, null, [1], 'NaN'];
  if (t.includes('boolean')) return ['true', 1, null];
  if (t.includes('array')) return ['a,b', { 0: 'a' }, 1];
  if (t.includes('object') || s.properties) return ['x', [], 3];
  return [];
};

/** Ways to break the value at one slot: each is the replacement value (undefined drops the key). */
function breakers(slot: Slot): unknown[] {
  const s = slot.schema;
  const out: unknown[] = [...wrongType(s)];
  const t = types(s);
  if (t.includes('integer') || t.includes('number')) {
    const integer = t.includes('integer');
    const { min, max } = numberBounds(s, integer);
    if (min > -SAFE) out.push(min - 1, -1e308);
    if (max < SAFE) out.push(max + 1, 1e308);
    out.push(2 ** 63, -(2 ** 63));
    if (integer) out.push(1.5);
  }
  if (t.includes('string')) {
    const max = typeof s.maxLength === 'number' ? s.maxLength : undefined;
    if (max !== undefined && max < 70_000) out.push('x'.repeat(max + 1));
    const min = typeof s.minLength === 'number' ? s.minLength : 0;
    if (min > 0) out.push('x'.repeat(min - 1));
    if (Array.isArray(s.enum)) out.push(`${String(s.enum[0])}-not-one-of-them`);
    if (s.format || s.pattern) out.push('not valid here');
    out.push(...ODD_TEXT);
  }
  if (t.includes('array') && typeof s.maxItems === 'number' && s.maxItems < 500)
    out.push(Array.from({ length: s.maxItems + 1 }, () => 'x'));
  return out;
}

/** Top-level bodies of the wrong kind altogether. */
const WRONG_BODIES: unknown[] = [[], 'text', 42, null, true, [{}]];

/**
 * An invalid variant of a valid value: one slot broken (or a required key
 * dropped, or an unknown key added to a closed object), or a body of the wrong kind.
 */
export function invalid(schema: JsonSchema, value: unknown): fc.Arbitrary<unknown> {
  const all = slots(value, schema);
  const options: (() => unknown)[] = [];
  for (const slot of all) {
    for (const replacement of breakers(slot)) options.push(() => setAt(value, slot.path, replacement));
    const s = slot.schema;
    const v = getAt(value, slot.path);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const key of (s.required as string[] | undefined) ?? [])
        options.push(() => setAt(value, [...slot.path, key], undefined));
      if (s.additionalProperties === false)
        options.push(() => setAt(value, [...slot.path, 'unexpectedField'], 'x'));
    }
  }
  for (const body of WRONG_BODIES) options.push(() => body);
  return fc.integer({ min: 0, max: options.length - 1 }).map((i) => options[i]!());
}

function getAt(value: unknown, path: (string | number)[]): unknown {
  let v = value;
  for (const k of path) v = (v as Record<string | number, unknown> | undefined)?.[k];
  return v;
}

/** A copy of `value` with the slot at `path` replaced (or removed when `replacement` is undefined). */
export function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy: Record<string | number, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : { ...(value as Record<string, unknown>) };
  const inner = setAt((copy as Record<string | number, unknown>)[head], rest, replacement);
  if (inner === undefined && rest.length === 0 && !Array.isArray(copy)) delete copy[head as string];
  else (copy as Record<string | number, unknown>)[head] = inner;
  return copy;
}
