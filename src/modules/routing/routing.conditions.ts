import { z } from 'zod';
import { MATCH, TIMED_OUT, regexProblem, type RegexVerdict } from './routing.regex.ts';

// Routing-rule conditions: their input schema, and compiling one into a test
// over a ConditionScope (the subject of one evaluation, with its derived
// values cached). Text comparisons lower-case both sides with toLowerCase(),
// which is locale-independent, and use plain string methods, never a RegExp.

export const CHANNELS = ['email', 'web', 'phone', 'api', 'other'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const TEXT_FIELDS = ['from', 'from_domain', 'to', 'subject', 'body', 'subject_or_body', 'channel'] as const;
const ID_FIELDS = ['help_topic', 'organization', 'priority'] as const;
const TEXT_OPS = [
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'matches',
  'not_matches',
  'in',
  'not_in',
] as const;
export type TextOp = (typeof TEXT_OPS)[number];
export type IdField = (typeof ID_FIELDS)[number];

export const ConditionField = z.enum([...TEXT_FIELDS, ...ID_FIELDS, 'field', 'time']);
export type ConditionField = z.infer<typeof ConditionField>;

// May be empty: 'equals' '' is how a rule asks for an empty or missing field.
const Text = z.string().max(1000);
const TextValue = z.union([Text, z.array(Text).min(1).max(500)]);
// An empty needle would make these always (or, negated, never) hold: surely a mistake.
const NEEDS_TEXT: readonly string[] = [
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'matches',
  'not_matches',
];
const Id = z.number().int().positive();
const IdValue = z.union([Id, z.array(Id).min(1).max(500)]);
const isList = (op: string) => op === 'in' || op === 'not_in';
const CHANNEL_EXACT: readonly string[] = ['equals', 'not_equals', 'in', 'not_in'];

type Issues = z.core.$RefinementCtx;
/** A list op needs a list, any other op a single value. */
function checkShape(op: string, value: unknown, ctx: Issues): void {
  if (isList(op) !== Array.isArray(value))
    ctx.addIssue({
      code: 'custom',
      path: ['value'],
      message: isList(op) ? `'${op}' needs a list of values` : `'${op}' needs a single value`,
    });
}

function checkText(c: { field: string; op: TextOp; value: string | string[] }, ctx: Issues): void {
  checkShape(c.op, c.value, ctx);
  if (c.value === '' && NEEDS_TEXT.includes(c.op))
    ctx.addIssue({ code: 'custom', path: ['value'], message: `'${c.op}' needs a non-empty value` });
  if ((c.op === 'matches' || c.op === 'not_matches') && typeof c.value === 'string') {
    const problem = regexProblem(c.value);
    if (problem)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `invalid regular expression: ${problem}` });
  }
  // An exact channel comparison against a name that is no channel could never hold: a typo.
  if (c.field === 'channel' && CHANNEL_EXACT.includes(c.op))
    for (const v of [c.value].flat())
      if (!(CHANNELS as readonly string[]).includes(v.toLowerCase()))
        ctx.addIssue({ code: 'custom', path: ['value'], message: `unknown channel '${v}'` });
}

const TextCondition = z
  .object({ field: z.enum(TEXT_FIELDS), op: z.enum(TEXT_OPS), value: TextValue })
  .superRefine(checkText);
const FieldCondition = z
  .object({
    field: z.literal('field'),
    key: z.string().min(1).max(64),
    op: z.enum(TEXT_OPS),
    value: TextValue,
  })
  .superRefine(checkText);
const IdCondition = z
  .object({ field: z.enum(ID_FIELDS), op: z.enum(['is', 'is_not', 'in', 'not_in']), value: IdValue })
  .superRefine((c, ctx) => checkShape(c.op, c.value, ctx));

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const TimeWindow = z
  .object({
    from: z.string().regex(HHMM, 'expected HH:MM'),
    // '24:00' closes a window at the end of the day.
    to: z.string().regex(HHMM, 'expected HH:MM').or(z.literal('24:00')),
    /** The days on which the window STARTS (22:00 Friday to 06:00 Saturday is a Friday window). */
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7).optional(),
  })
  .refine((w) => w.from !== w.to, { message: 'from and to must differ', path: ['to'] });
const TimeCondition = z.object({ field: z.literal('time'), op: z.literal('between'), value: TimeWindow });

export const Condition = z.discriminatedUnion('field', [
  TextCondition,
  FieldCondition,
  IdCondition,
  TimeCondition,
]);
export type Condition = z.infer<typeof Condition>;

/** What a compiled condition reads from one evaluation. */
export interface ConditionScope {
  /** The lower-cased values of a text source: one for most, each recipient for 'to', subject and body for 'subject_or_body'. */
  lower(source: string): readonly string[];
  id(field: IdField): number | null;
  /** The verdict of regex slot `slot` over all values of its source. */
  regex(slot: number): RegexVerdict;
  /** Reports condition `index` of the current rule as not evaluated (it then counts as not matched). */
  unevaluated(index: number): void;
  local(): LocalTime;
}
export type ConditionTest = (scope: ConditionScope) => boolean;
/** Registers a regex condition: `pattern` runs against the values of text source `source`; returns its slot. */
export type RegexRegistrar = (pattern: string, source: string) => number;

/** The text source a condition reads; custom fields are prefixed so a field named 'subject' stays apart. */
const textSource = (c: { field: string; key?: string }) => (c.field === 'field' ? `field:${c.key}` : c.field);

type Compare = (text: string) => boolean;
function comparer(op: 'equals' | 'contains' | 'starts_with' | 'ends_with' | 'in', values: string[]): Compare {
  const v = values[0]!;
  switch (op) {
    case 'equals':
      return (t) => t === v;
    case 'contains':
      return (t) => t.includes(v);
    case 'starts_with':
      return (t) => t.startsWith(v);
    case 'ends_with':
      return (t) => t.endsWith(v);
    case 'in': {
      const set = new Set(values);
      return (t) => set.has(t);
    }
  }
}

const isIdCondition = (c: Condition): c is Extract<Condition, { field: IdField }> =>
  (ID_FIELDS as readonly string[]).includes(c.field);

/** Compiles condition `index` (its position in the rule, for error reports). Throws on a pattern that does not compile. */
export function compileCondition(c: Condition, index: number, registerRegex: RegexRegistrar): ConditionTest {
  if (c.field === 'time') return compileTime(c.value);
  if (isIdCondition(c)) {
    const field = c.field;
    const ids = new Set([c.value].flat());
    const negated = c.op === 'is_not' || c.op === 'not_in';
    // A missing id equals nothing, so the negated ops hold for it.
    return (s) => {
      const id = s.id(field);
      return (id !== null && ids.has(id)) !== negated;
    };
  }
  const source = textSource(c);
  // Negated ops hold when NO value satisfies the positive form (no recipient matches, ...).
  const negated = c.op.startsWith('not_');
  const positive = (negated ? c.op.slice(4) : c.op) as Exclude<TextOp, `not_${string}`>;
  const values = [c.value].flat();
  if (positive === 'matches') {
    const problem = regexProblem(values[0]!);
    if (problem) throw new Error(`invalid regular expression: ${problem}`);
    const slot = registerRegex(values[0]!, source);
    return (s) => {
      const verdict = s.regex(slot);
      if (verdict !== TIMED_OUT) return (verdict === MATCH) !== negated;
      s.unevaluated(index);
      return false;
    };
  }
  const compare = comparer(
    positive,
    values.map((v) => v.toLowerCase()),
  );
  return (s) => s.lower(source).some(compare) !== negated;
}

/** Local wall-clock time in the desk's zone: minutes since midnight, and the weekday (0 = Monday). */
export interface LocalTime {
  minute: number;
  day: number;
}

const ANY_DAY = 0x7f;
function compileTime(w: z.infer<typeof TimeWindow>): ConditionTest {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const from = minutes(w.from);
  const to = minutes(w.to);
  const days = w.days ? w.days.reduce((mask, d) => mask | (1 << WEEKDAYS.indexOf(d)), 0) : ANY_DAY;
  return (s) => {
    const { minute, day } = s.local();
    let start: number;
    if (from < to) {
      if (minute < from || minute >= to) return false;
      start = day;
    } else if (minute >= from) start = day;
    // After midnight in a wrapping window: it started the day before.
    else if (minute < to) start = (day + 6) % 7;
    else return false;
    return (days & (1 << start)) !== 0;
  };
}

const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** Converts instants to the desk's local time; remembers the last minute (rule sets see bursts of mail). */
export class DeskClock {
  private readonly format: Intl.DateTimeFormat;
  private lastMinute = NaN;
  private last: LocalTime = { minute: 0, day: 0 };

  /** Throws a RangeError for a zone the runtime does not know. */
  constructor(readonly timezone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
  }

  at(epochMs: number): LocalTime {
    // Zone offsets are whole minutes, so every instant of one UTC minute shares its local time.
    const utcMinute = Math.floor(epochMs / 60_000);
    if (utcMinute === this.lastMinute) return this.last;
    let hour = 0;
    let minute = 0;
    let day = 0;
    for (const p of this.format.formatToParts(epochMs)) {
      if (p.type === 'hour') hour = Number(p.value);
      else if (p.type === 'minute') minute = Number(p.value);
      else if (p.type === 'weekday') day = WEEKDAY_INDEX[p.value] ?? 0;
    }
    this.lastMinute = utcMinute;
    this.last = { minute: hour * 60 + minute, day };
    return this.last;
  }
}
