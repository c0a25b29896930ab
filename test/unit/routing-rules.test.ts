/**
 * The pure routing-rule engine (src/modules/routing/routing.rules.ts): schemas,
 * every condition op, time windows in the desk's zone, rule order and
 * precedence, and the time-limited regex sandbox. Expectations are written from
 * the rules (osTicket filter semantics), with local times worked out by hand.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import {
  Action,
  Condition,
  RuleInput,
  compileRules,
  evaluateRules,
  type RuleSubject,
  type StoredRule,
} from '../../src/modules/routing/routing.rules.ts';

type ConditionIn = z.input<typeof Condition>;
type RuleIn = z.input<typeof RuleInput>;

let nextId = 100;
/** A stored rule as the service would keep it: validated input plus id and sort. */
function rule(
  input: Partial<RuleIn> & Pick<RuleIn, 'actions'>,
  at: { id?: number; sort?: number } = {},
): StoredRule {
  const id = at.id ?? nextId++;
  return { id, sort: at.sort ?? id, ...RuleInput.parse({ name: `rule ${id}`, conditions: [], ...input }) };
}

const BASE: RuleSubject = {
  channel: 'email',
  from: 'someone@customer.example',
  to: ['support@deskline.local'],
  subject: 'Hello',
  body: 'Nothing to see',
  helpTopicId: null,
  organizationId: null,
  priorityId: null,
  fields: {},
  at: Date.UTC(2025, 0, 15, 10, 0),
};

function run(
  rules: StoredRule[],
  subject: Partial<RuleSubject> = {},
  opts: { phase?: 'intake' | 'reply'; timezone?: string } = {},
) {
  const set = compileRules(rules, { timezone: opts.timezone ?? 'UTC', phase: opts.phase ?? 'intake' });
  return evaluateRules(set, { ...BASE, ...subject });
}

/** Whether a one-condition rule matches the subject. */
const holds = (condition: ConditionIn, subject: Partial<RuleSubject>, timezone = 'UTC') =>
  run([rule({ conditions: [condition], actions: [{ type: 'stop' }] })], subject, { timezone }).matched
    .length === 1;

describe('routing: the issue case (bank outage to Operations, urgent)', () => {
  const bank = (match: 'all' | 'any' = 'all') =>
    rule({
      name: 'Bank outages',
      match,
      conditions: [
        { field: 'from_domain', op: 'equals', value: 'bank.example' },
        { field: 'subject', op: 'contains', value: 'outage' },
      ],
      actions: [
        { type: 'set_department', departmentId: 3 },
        { type: 'set_priority', priorityId: 4 },
      ],
    });

  it('routes mail from the bank about an outage', () => {
    const r = bank();
    const out = run([r], { from: 'ops@bank.example', subject: 'Mobile banking OUTAGE' });
    expect(out.matched).toEqual([{ id: r.id, name: 'Bank outages' }]);
    expect(out.departmentId).toBe(3);
    expect(out.priorityId).toBe(4);
    expect(out.rejected).toBeNull();
    expect(out.errors).toEqual([]);
  });

  it('compares the domain case-insensitively', () => {
    expect(run([bank()], { from: 'Ops@BANK.Example', subject: 'outage' }).departmentId).toBe(3);
  });

  it('does not match a look-alike domain or a subject without the word', () => {
    const other = run([bank()], { from: 'ops@bank.example.com', subject: 'Mobile banking OUTAGE' });
    expect(other.matched).toEqual([]);
    expect(other.departmentId).toBeUndefined();
    expect(run([bank()], { from: 'ops@bank.example', subject: 'Mobile banking slow' }).matched).toEqual([]);
  });

  it("'any' needs one condition, 'all' needs both", () => {
    const oneHolds = { from: 'ops@bank.example', subject: 'Mobile banking slow' };
    expect(run([bank('all')], oneHolds).matched).toHaveLength(0);
    expect(run([bank('any')], oneHolds).departmentId).toBe(3);
    expect(run([bank('any')], { from: 'x@else.example', subject: 'slow' }).matched).toHaveLength(0);
  });
});

describe('routing: text ops on each text field', () => {
  interface FieldCase {
    condition:
      | { field: 'from' | 'from_domain' | 'subject' | 'body' | 'subject_or_body' }
      | { field: 'field'; key: string };
    subject: Partial<RuleSubject>;
    text: string;
    start: string;
    middle: string;
    end: string;
    re: string;
    reNot: string;
  }
  const FIELDS: FieldCase[] = [
    {
      condition: { field: 'from' },
      subject: { from: 'Ops.Team@Bank.Example' },
      text: 'Ops.Team@Bank.Example',
      start: 'ops.',
      middle: 'team@bank',
      end: '.example',
      re: '^ops\\.\\w+@',
      reNot: '^team',
    },
    {
      condition: { field: 'from_domain' },
      subject: { from: 'ops@Bank.Example' },
      text: 'Bank.Example',
      start: 'bank',
      middle: 'k.ex',
      end: 'example',
      re: '^b.nk\\.',
      reNot: '^ops', // the local part is not part of the domain
    },
    {
      condition: { field: 'subject' },
      subject: { subject: 'Mobile Banking OUTAGE' },
      text: 'Mobile Banking OUTAGE',
      start: 'mobile',
      middle: 'banking out',
      end: 'age',
      re: 'bank\\w+\\s+outage$',
      reNot: '^banking',
    },
    {
      condition: { field: 'body' },
      subject: { body: 'The App shows Error 502' },
      text: 'The App shows Error 502',
      start: 'the app',
      middle: 'shows error',
      end: '502',
      re: 'error\\s+5\\d\\d',
      reNot: 'error 404',
    },
    {
      condition: { field: 'subject_or_body' },
      subject: { subject: 'Re: hi', body: 'The App shows Error 502' },
      text: 'The App shows Error 502',
      start: 'the app',
      middle: 'shows error',
      end: '502',
      re: 'error\\s+5\\d\\d',
      reNot: 'error 404',
    },
    {
      condition: { field: 'field', key: 'account' },
      subject: { fields: { account: 'ACME-Gold', region: 'emea' } },
      text: 'ACME-Gold',
      start: 'acme',
      middle: 'e-g',
      end: 'gold',
      re: '^acme-(gold|silver)$',
      reNot: 'silver',
    },
  ];
  const positive = (f: FieldCase): [string, string | string[], boolean][] => [
    ['equals', f.text.toUpperCase(), true],
    ['equals', f.start, false],
    ['contains', f.middle.toUpperCase(), true],
    ['contains', 'zzz', false],
    ['starts_with', f.start.toUpperCase(), true],
    ['starts_with', f.end, false],
    ['ends_with', f.end.toUpperCase(), true],
    ['ends_with', f.start, false],
    ['matches', f.re, true],
    ['matches', f.reNot, false],
    ['in', ['nope', f.text.toUpperCase()], true],
    ['in', ['nope', f.middle], false],
  ];
  // starts_with and ends_with have no negated form.
  const NEGATED = ['equals', 'contains', 'matches', 'in'];
  const cases = FIELDS.flatMap((f) =>
    positive(f).flatMap(([op, value, expected]) => [
      { name: `${f.condition.field} ${op} ${JSON.stringify(value)}`, f, op, value, expected },
      ...(NEGATED.includes(op)
        ? [
            {
              name: `${f.condition.field} not_${op} ${JSON.stringify(value)}`,
              f,
              op: `not_${op}`,
              value,
              expected: !expected,
            },
          ]
        : []),
    ]),
  );

  it('covers ten ops on six fields', () => {
    expect(cases).toHaveLength(6 * (12 + 8));
    expect(new Set(cases.map((c) => c.op)).size).toBe(10);
  });

  it.each(cases)('$name → $expected', ({ f, op, value, expected }) => {
    expect(holds({ ...f.condition, op, value } as ConditionIn, f.subject)).toBe(expected);
  });

  it("'subject_or_body' holds on the subject too, and its negation needs both to fail", () => {
    const s = { subject: 'Refund please', body: 'Order 12' };
    expect(holds({ field: 'subject_or_body', op: 'contains', value: 'REFUND' }, s)).toBe(true);
    expect(holds({ field: 'subject_or_body', op: 'not_contains', value: 'refund' }, s)).toBe(false);
    expect(holds({ field: 'subject_or_body', op: 'matches', value: '^order \\d+$' }, s)).toBe(true);
    expect(holds({ field: 'subject_or_body', op: 'not_contains', value: 'invoice' }, s)).toBe(true);
  });

  it('lower-cases non-ASCII letters too', () => {
    expect(
      holds({ field: 'subject', op: 'contains', value: 'ärger' }, { subject: 'ÄRGER mit Zahlung' }),
    ).toBe(true);
    expect(holds({ field: 'subject', op: 'equals', value: 'STRASSE' }, { subject: 'straße' })).toBe(false);
  });
});

describe("routing: 'to' is any recipient", () => {
  const to = ['Support@Deskline.local', 'billing@deskline.local', 'cc@partner.example'];
  it.each([
    ['equals', 'BILLING@deskline.local', true],
    ['not_equals', 'billing@deskline.local', false],
    ['not_equals', 'sales@deskline.local', true],
    ['contains', 'partner', true],
    ['not_contains', 'partner', false],
    ['not_contains', 'sales', true],
    ['starts_with', 'support@', true],
    ['ends_with', '@partner.example', true],
    ['ends_with', '@other.example', false],
    ['in', ['sales@deskline.local', 'support@deskline.local'], true],
    ['not_in', ['sales@deskline.local', 'support@deskline.local'], false],
    ['not_in', ['sales@deskline.local'], true],
    ['matches', '^billing@', true],
    ['not_matches', '^billing@', false],
    ['not_matches', '^sales@', true],
  ] as const)('%s %j → %s', (op, value, expected) => {
    expect(holds({ field: 'to', op, value: value as string | string[] } as ConditionIn, { to })).toBe(
      expected,
    );
  });

  it('with no recipients, positive ops fail and negated ops hold', () => {
    expect(holds({ field: 'to', op: 'contains', value: '@' }, { to: [] })).toBe(false);
    expect(holds({ field: 'to', op: 'matches', value: '.' }, { to: [] })).toBe(false);
    expect(holds({ field: 'to', op: 'not_contains', value: '@' }, { to: [] })).toBe(true);
    expect(holds({ field: 'to', op: 'not_matches', value: '.' }, { to: [] })).toBe(true);
  });
});

describe('routing: custom fields, ids and channel', () => {
  it('reads a missing field as empty', () => {
    const missing = { fields: { region: 'emea' } };
    expect(holds({ field: 'field', key: 'account', op: 'equals', value: '' }, missing)).toBe(true);
    expect(holds({ field: 'field', key: 'account', op: 'not_equals', value: '' }, missing)).toBe(false);
    expect(holds({ field: 'field', key: 'account', op: 'contains', value: 'gold' }, missing)).toBe(false);
    expect(holds({ field: 'field', key: 'account', op: 'not_contains', value: 'gold' }, missing)).toBe(true);
    expect(holds({ field: 'field', key: 'account', op: 'in', value: ['', 'gold'] }, missing)).toBe(true);
    expect(
      holds({ field: 'field', key: 'account', op: 'equals', value: '' }, { fields: { account: 'x' } }),
    ).toBe(false);
  });

  it('does not read field keys off the object prototype', () => {
    expect(holds({ field: 'field', key: 'constructor', op: 'equals', value: '' }, { fields: {} })).toBe(true);
    expect(
      holds({ field: 'field', key: 'toString', op: 'contains', value: 'function' }, { fields: {} }),
    ).toBe(false);
  });

  const ids = {
    help_topic: 'helpTopicId',
    organization: 'organizationId',
    priority: 'priorityId',
  } as const;
  it.each(
    Object.entries(ids).flatMap(([field, key]) =>
      (
        [
          ['is', 5, 5, true],
          ['is', 6, 5, false],
          ['is_not', 6, 5, true],
          ['is_not', 5, 5, false],
          ['in', [1, 5], 5, true],
          ['in', [1, 2], 5, false],
          ['not_in', [1, 5], 5, false],
          ['not_in', [1, 2], 5, true],
          ['is', 5, null, false],
          ['is_not', 5, null, true],
          ['in', [5], null, false],
          ['not_in', [5], null, true],
        ] as const
      ).map(([op, value, actual, expected]) => ({ field, key, op, value, actual, expected })),
    ),
  )('$field $op $value with $actual → $expected', ({ field, key, op, value, actual, expected }) => {
    expect(holds({ field, op, value } as ConditionIn, { [key]: actual })).toBe(expected);
  });

  it('compares the channel against a list', () => {
    const phoneOrWeb: ConditionIn = { field: 'channel', op: 'in', value: ['web', 'PHONE'] };
    expect(holds(phoneOrWeb, { channel: 'phone' })).toBe(true);
    expect(holds(phoneOrWeb, { channel: 'email' })).toBe(false);
    expect(holds({ field: 'channel', op: 'not_in', value: ['web', 'phone'] }, { channel: 'email' })).toBe(
      true,
    );
    expect(holds({ field: 'channel', op: 'equals', value: 'Email' }, { channel: 'email' })).toBe(true);
    expect(holds({ field: 'channel', op: 'not_equals', value: 'email' }, { channel: 'api' })).toBe(true);
  });
});

describe('routing: time windows in the desk zone (Europe/Berlin: CET = UTC+1, CEST = UTC+2 from 2025-03-30 01:00 UTC)', () => {
  const utc = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi);
  type Window = Extract<ConditionIn, { field: 'time' }>['value'];
  const inWindow = (value: Window, at: number) =>
    holds({ field: 'time', op: 'between', value }, { at }, 'Europe/Berlin');

  const office: Window = { from: '09:00', to: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
  it.each([
    ['Wed 2025-01-15 08:59 CET', utc(2025, 1, 15, 7, 59), false],
    ['Wed 2025-01-15 09:00 CET', utc(2025, 1, 15, 8, 0), true],
    ['Wed 2025-01-15 16:59 CET', utc(2025, 1, 15, 15, 59), true],
    ['Wed 2025-01-15 17:00 CET (the end is excluded)', utc(2025, 1, 15, 16, 0), false],
    ['Sat 2025-01-18 11:00 CET (weekend)', utc(2025, 1, 18, 10, 0), false],
    ['Wed 2025-07-16 09:30 CEST (08:30 if it were CET)', utc(2025, 7, 16, 7, 30), true],
    ['Wed 2025-07-16 17:30 CEST (16:30 if it were CET)', utc(2025, 7, 16, 15, 30), false],
    ['Fri 2025-03-28 08:00 CET, before the change', utc(2025, 3, 28, 7, 0), false],
    ['Mon 2025-03-31 09:00 CEST, the same UTC hour after it', utc(2025, 3, 31, 7, 0), true],
  ])('09:00–17:00 Mon–Fri at %s → %s', (_label, at, expected) => {
    expect(inWindow(office, at)).toBe(expected);
  });

  const fridayNight: Window = { from: '22:00', to: '06:00', days: ['fri'] };
  it.each([
    ['Fri 2025-01-17 22:00', utc(2025, 1, 17, 21, 0), true],
    ['Fri 2025-01-17 21:59', utc(2025, 1, 17, 20, 59), false],
    ['Sat 2025-01-18 00:30 (UTC still says Friday)', utc(2025, 1, 17, 23, 30), true],
    ['Sat 2025-01-18 05:59, started Friday', utc(2025, 1, 18, 4, 59), true],
    ['Sat 2025-01-18 06:00', utc(2025, 1, 18, 5, 0), false],
    ['Sat 2025-01-18 22:00, starts Saturday', utc(2025, 1, 18, 21, 0), false],
    ['Fri 2025-01-17 00:30, started Thursday (UTC says Thursday 23:30)', utc(2025, 1, 16, 23, 30), false],
    ['Fri 2025-01-17 04:00, started Thursday', utc(2025, 1, 17, 3, 0), false],
  ])('22:00–06:00 starting Fri at %s → %s', (_label, at, expected) => {
    expect(inWindow(fridayNight, at)).toBe(expected);
  });

  const saturdayNight: Window = { from: '22:00', to: '06:00', days: ['sat'] };
  it.each([
    ['Sat 2025-03-29 22:00 CET', utc(2025, 3, 29, 21, 0), true],
    ['Sun 2025-03-30 01:30 CET', utc(2025, 3, 30, 0, 30), true],
    ['Sun 2025-03-30 03:30 CEST (the clock jumped at 02:00)', utc(2025, 3, 30, 1, 30), true],
    ['Sun 2025-03-30 05:59 CEST', utc(2025, 3, 30, 3, 59), true],
    ['Sun 2025-03-30 06:00 CEST (05:00 if it were CET)', utc(2025, 3, 30, 4, 0), false],
    ['Sun 2025-03-30 23:00 CEST, starts Sunday', utc(2025, 3, 30, 21, 0), false],
  ])('22:00–06:00 starting Sat across the DST change at %s → %s', (_label, at, expected) => {
    expect(inWindow(saturdayNight, at)).toBe(expected);
  });

  it('without days a window holds every day; 24:00 closes at midnight', () => {
    expect(inWindow({ from: '22:00', to: '06:00' }, utc(2025, 1, 15, 22, 0))).toBe(true);
    expect(inWindow({ from: '22:00', to: '06:00' }, utc(2025, 1, 15, 12, 0))).toBe(false);
    expect(inWindow({ from: '18:00', to: '24:00' }, utc(2025, 1, 15, 22, 59))).toBe(true);
    expect(inWindow({ from: '18:00', to: '24:00' }, utc(2025, 1, 15, 23, 0))).toBe(false);
  });

  it('rejects an unknown zone when compiling', () => {
    expect(() => compileRules([], { timezone: 'Mars/Olympus', phase: 'intake' })).toThrow(RangeError);
  });
});

describe('routing: order and precedence', () => {
  it('applies every matching rule in order: later set_* wins, tags and collaborators accumulate once', () => {
    const a = rule({
      actions: [
        { type: 'set_department', departmentId: 1 },
        { type: 'add_tags', tags: ['VIP ', 'bank'] },
        { type: 'add_collaborators', emails: ['Boss@Bank.Example'] },
        { type: 'send_reply', body: 'We are on it.' },
      ],
    });
    const skipped = rule({
      conditions: [{ field: 'subject', op: 'contains', value: 'never' }],
      actions: [{ type: 'set_team', teamId: 8 }],
    });
    const b = rule({
      actions: [
        { type: 'set_department', departmentId: 2 },
        { type: 'set_priority', priorityId: 3 },
        { type: 'add_tags', tags: ['bank', 'outage'] },
        { type: 'add_collaborators', emails: ['boss@bank.example', 'cto@bank.example'] },
        { type: 'send_reply', body: 'Escalated.' },
      ],
    });
    const out = run([a, skipped, b]);
    expect(out.matched.map((m) => m.id)).toEqual([a.id, b.id]);
    expect(out.departmentId).toBe(2);
    expect(out.priorityId).toBe(3);
    expect(out.teamId).toBeUndefined();
    expect(out.tags).toEqual(['vip', 'bank', 'outage']);
    expect(out.collaborators).toEqual(['boss@bank.example', 'cto@bank.example']);
    expect(out.replies).toEqual([
      { ruleId: a.id, body: 'We are on it.' },
      { ruleId: b.id, body: 'Escalated.' },
    ]);
  });

  it('sets every kind of id', () => {
    const out = run([
      rule({
        actions: [
          { type: 'set_department', departmentId: 1 },
          { type: 'set_help_topic', helpTopicId: 2 },
          { type: 'set_priority', priorityId: 3 },
          { type: 'set_sla_plan', slaPlanId: 4 },
          { type: 'set_team', teamId: 5 },
          { type: 'set_agent', agentId: 6 },
          { type: 'set_status', statusId: 7 },
        ],
      }),
    ]);
    expect(out).toMatchObject({
      departmentId: 1,
      helpTopicId: 2,
      priorityId: 3,
      slaPlanId: 4,
      teamId: 5,
      agentId: 6,
      statusId: 7,
    });
  });

  it("'stop' finishes the current rule's actions, then ends", () => {
    const a = rule({
      actions: [
        { type: 'set_department', departmentId: 1 },
        { type: 'stop' },
        { type: 'add_tags', tags: ['kept'] },
      ],
    });
    const b = rule({ actions: [{ type: 'set_department', departmentId: 2 }] });
    const out = run([a, b]);
    expect(out.matched.map((m) => m.id)).toEqual([a.id]);
    expect(out.departmentId).toBe(1);
    expect(out.tags).toEqual(['kept']);
  });

  it("'reject' ends at once: later actions and rules are not applied", () => {
    const a = rule({ actions: [{ type: 'set_department', departmentId: 1 }] });
    const spam = rule({
      name: 'Spam',
      actions: [
        { type: 'add_tags', tags: ['spam'] },
        { type: 'reject', reason: 'Looks like spam' },
        { type: 'set_priority', priorityId: 9 },
      ],
    });
    const c = rule({ actions: [{ type: 'set_team', teamId: 5 }] });
    const out = run([a, spam, c]);
    expect(out.rejected).toEqual({ ruleId: spam.id, name: 'Spam', reason: 'Looks like spam' });
    expect(out.matched.map((m) => m.id)).toEqual([a.id, spam.id]);
    expect(out.departmentId).toBe(1);
    expect(out.tags).toEqual(['spam']);
    expect(out.priorityId).toBeUndefined();
    expect(out.teamId).toBeUndefined();
  });

  it('skips inactive rules', () => {
    const off = rule({ isActive: false, actions: [{ type: 'set_department', departmentId: 1 }] });
    const on = rule({ actions: [{ type: 'set_priority', priorityId: 2 }] });
    const out = run([off, on]);
    expect(out.matched.map((m) => m.id)).toEqual([on.id]);
    expect(out.departmentId).toBeUndefined();
  });

  it("phase 'reply' keeps only onReply rules; 'intake' keeps them all", () => {
    const intakeOnly = rule({ actions: [{ type: 'add_tags', tags: ['intake'] }] });
    const both = rule({ onReply: true, actions: [{ type: 'add_tags', tags: ['reply'] }] });
    expect(run([intakeOnly, both], {}, { phase: 'reply' }).tags).toEqual(['reply']);
    expect(run([intakeOnly, both], {}, { phase: 'intake' }).tags).toEqual(['intake', 'reply']);
  });

  it('orders by sort, then id, whatever the array order', () => {
    const late = rule({ actions: [{ type: 'set_department', departmentId: 30 }] }, { id: 1, sort: 20 });
    const tieHigh = rule({ actions: [{ type: 'set_department', departmentId: 7 }] }, { id: 7, sort: 10 });
    const tieLow = rule({ actions: [{ type: 'set_department', departmentId: 3 }] }, { id: 3, sort: 10 });
    const out = run([late, tieHigh, tieLow]);
    expect(out.matched.map((m) => m.id)).toEqual([3, 7, 1]);
    expect(out.departmentId).toBe(30);
  });

  it("a rule without conditions matches everything, with 'any' too", () => {
    const out = run([rule({ match: 'any', actions: [{ type: 'set_team', teamId: 4 }] })]);
    expect(out.teamId).toBe(4);
  });

  it('a compiled set is reusable across subjects', () => {
    const set = compileRules(
      [
        rule({
          conditions: [{ field: 'subject', op: 'matches', value: 'urgent' }],
          actions: [{ type: 'set_priority', priorityId: 4 }],
        }),
        rule({
          conditions: [{ field: 'time', op: 'between', value: { from: '09:00', to: '17:00' } }],
          actions: [{ type: 'add_tags', tags: ['office-hours'] }],
        }),
      ],
      { timezone: 'UTC', phase: 'intake' },
    );
    const urgent = evaluateRules(set, { ...BASE, subject: 'URGENT', at: Date.UTC(2025, 0, 15, 10, 0) });
    const calm = evaluateRules(set, { ...BASE, subject: 'calm', at: Date.UTC(2025, 0, 15, 20, 0) });
    const again = evaluateRules(set, { ...BASE, subject: 'urgent!', at: Date.UTC(2025, 0, 15, 10, 0) });
    expect([urgent.priorityId, urgent.tags]).toEqual([4, ['office-hours']]);
    expect([calm.priorityId, calm.tags]).toEqual([undefined, []]);
    expect([again.priorityId, again.tags]).toEqual([4, ['office-hours']]);
  });
});

describe('routing: regular expressions', () => {
  it('match case-insensitively', () => {
    const c: ConditionIn = { field: 'subject', op: 'matches', value: 'outage\\s+in\\s+\\w+' };
    expect(holds(c, { subject: 'OUTAGE In Berlin' })).toBe(true);
    expect(holds(c, { subject: 'outage' })).toBe(false);
  });

  it('an invalid pattern is a validation error at its condition', () => {
    const r = RuleInput.safeParse({
      name: 'bad',
      conditions: [
        { field: 'subject', op: 'contains', value: 'x' },
        { field: 'body', op: 'not_matches', value: '(unclosed' },
      ],
      actions: [{ type: 'stop' }],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toHaveLength(1);
    expect(r.error!.issues[0]!.path).toEqual(['conditions', 1, 'value']);
    expect(r.error!.issues[0]!.message).toMatch(/invalid regular expression/);
  });

  it('a stored pattern that does not compile names its rule and condition', () => {
    const stored: StoredRule = {
      ...rule({ actions: [{ type: 'stop' }] }, { id: 42 }),
      conditions: [
        { field: 'subject', op: 'contains', value: 'x' },
        { field: 'subject', op: 'matches', value: '[' },
      ],
    };
    expect(() => compileRules([stored], { timezone: 'UTC', phase: 'intake' })).toThrow(
      /rule 42 condition 1: invalid regular expression/,
    );
  });

  it('enters the vm only for sets with regex conditions, once per evaluation, only when reached', () => {
    const plain = compileRules(
      [rule({ conditions: [{ field: 'subject', op: 'contains', value: 'x' }], actions: [{ type: 'stop' }] })],
      { timezone: 'UTC', phase: 'intake' },
    );
    expect(plain.sandbox).toBeNull();

    const regexRule = (value: string, tag: string) =>
      rule({
        conditions: [{ field: 'body', op: 'matches', value }],
        actions: [{ type: 'add_tags', tags: [tag] }],
      });
    const gate = rule({
      conditions: [{ field: 'subject', op: 'equals', value: 'stop' }],
      actions: [{ type: 'stop' }],
    });
    const set = compileRules([gate, regexRule('refund', 'a'), regexRule('order \\d+', 'b')], {
      timezone: 'UTC',
      phase: 'intake',
    });
    const spy = vi.spyOn(set.sandbox!, 'run');
    expect(evaluateRules(set, { ...BASE, subject: 'stop', body: 'refund order 7' }).tags).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
    expect(evaluateRules(set, { ...BASE, subject: 'go', body: 'Refund ORDER 7' }).tags).toEqual(['a', 'b']);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('tests at most 64 KiB of a text; other ops see all of it', () => {
    const body = `${'a'.repeat(70_000)}needle`;
    expect(holds({ field: 'body', op: 'matches', value: 'needle' }, { body })).toBe(false);
    expect(holds({ field: 'body', op: 'contains', value: 'needle' }, { body })).toBe(true);
  });

  it('a catastrophic pattern times out, counts as not matched and is reported; the other regexes keep their result', () => {
    const before = rule({
      conditions: [{ field: 'body', op: 'matches', value: '^please' }],
      actions: [{ type: 'add_tags', tags: ['early'] }],
    });
    const evil = rule({
      conditions: [
        { field: 'from', op: 'contains', value: '@' },
        { field: 'subject', op: 'matches', value: '^(a+)+$' },
      ],
      actions: [{ type: 'set_department', departmentId: 9 }],
    });
    const evilNegated = rule({
      conditions: [{ field: 'subject', op: 'not_matches', value: '^(a+)+$' }],
      actions: [{ type: 'set_team', teamId: 9 }],
    });
    const after = rule({
      conditions: [{ field: 'body', op: 'matches', value: 'refund\\s+request' }],
      actions: [{ type: 'add_tags', tags: ['refund'] }],
    });
    const set = compileRules([before, evil, evilNegated, after], { timezone: 'UTC', phase: 'intake' });
    const started = performance.now();
    const out = evaluateRules(set, {
      ...BASE,
      subject: `${'a'.repeat(40)}b`,
      body: 'Please process my REFUND request',
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(out.matched.map((m) => m.id)).toEqual([before.id, after.id]);
    expect(out.departmentId).toBeUndefined();
    expect(out.teamId).toBeUndefined();
    expect(out.tags).toEqual(['early', 'refund']);
    expect(out.errors).toEqual([
      { ruleId: evil.id, condition: 1, code: 'regex_timeout' },
      { ruleId: evilNegated.id, condition: 0, code: 'regex_timeout' },
    ]);
    // The same pattern on a harmless text still works in the same set.
    expect(evaluateRules(set, { ...BASE, subject: 'aaaa', body: '' }).departmentId).toBe(9);
  });
});

describe('routing: schema validation', () => {
  const ok = (input: unknown) => RuleInput.safeParse(input).success;
  const base = { name: 'r', conditions: [], actions: [{ type: 'stop' }] };

  it('fills the defaults and normalises tags and emails', () => {
    const r = RuleInput.parse({
      name: '  Tags  ',
      conditions: [],
      actions: [
        { type: 'add_tags', tags: ['  VIP ', 'Bank'] },
        { type: 'add_collaborators', emails: [' Boss@Bank.EXAMPLE '] },
      ],
    });
    expect(r).toMatchObject({ name: 'Tags', isActive: true, match: 'all', onReply: false });
    expect(r.actions).toEqual([
      { type: 'add_tags', tags: ['vip', 'bank'] },
      { type: 'add_collaborators', emails: ['boss@bank.example'] },
    ]);
  });

  it.each([0, -1, 1.5, '3', null])('rejects the id %j', (id) => {
    expect(Action.safeParse({ type: 'set_department', departmentId: id }).success).toBe(false);
    expect(Condition.safeParse({ field: 'help_topic', op: 'is', value: id }).success).toBe(false);
  });

  it('rejects bad emails, tags, bodies and unknown action types', () => {
    expect(Action.safeParse({ type: 'add_collaborators', emails: ['not-an-email'] }).success).toBe(false);
    expect(Action.safeParse({ type: 'add_collaborators', emails: [] }).success).toBe(false);
    expect(Action.safeParse({ type: 'add_tags', tags: ['   '] }).success).toBe(false);
    expect(Action.safeParse({ type: 'add_tags', tags: ['x'.repeat(41)] }).success).toBe(false);
    expect(
      Action.safeParse({ type: 'add_tags', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }).success,
    ).toBe(false);
    expect(Action.safeParse({ type: 'send_reply', body: '' }).success).toBe(false);
    expect(Action.safeParse({ type: 'reject', reason: 'x'.repeat(501) }).success).toBe(false);
    expect(Action.safeParse({ type: 'delete_ticket' }).success).toBe(false);
  });

  it('needs 1 to 30 actions and at most 50 conditions', () => {
    const cond = { field: 'subject', op: 'contains', value: 'x' };
    expect(ok({ ...base, actions: [] })).toBe(false);
    expect(ok({ ...base, actions: Array.from({ length: 31 }, () => ({ type: 'stop' })) })).toBe(false);
    expect(ok({ ...base, conditions: Array.from({ length: 50 }, () => cond) })).toBe(true);
    expect(ok({ ...base, conditions: Array.from({ length: 51 }, () => cond) })).toBe(false);
    expect(ok({ ...base, name: '   ' })).toBe(false);
  });

  it.each([
    ['an unknown field', { field: 'cc', op: 'equals', value: 'x' }],
    ['a list op with one value', { field: 'subject', op: 'in', value: 'x' }],
    ['a single-value op with a list', { field: 'subject', op: 'equals', value: ['x'] }],
    ['an id op with a list', { field: 'priority', op: 'is', value: [1] }],
    ['an id list op with one id', { field: 'priority', op: 'in', value: 1 }],
    ['a text op on an id field', { field: 'organization', op: 'contains', value: 'x' }],
    ['an empty list', { field: 'subject', op: 'in', value: [] }],
    ['an empty needle', { field: 'subject', op: 'contains', value: '' }],
    ['a value over 1000 characters', { field: 'body', op: 'contains', value: 'x'.repeat(1001) }],
    ['an unknown channel', { field: 'channel', op: 'in', value: ['email', 'fax'] }],
    ['a custom field without key', { field: 'field', op: 'equals', value: 'x' }],
    ['a key over 64 characters', { field: 'field', key: 'k'.repeat(65), op: 'equals', value: 'x' }],
    ['an hour 24 as start', { field: 'time', op: 'between', value: { from: '24:00', to: '06:00' } }],
    ['a malformed time', { field: 'time', op: 'between', value: { from: '9:00', to: '17:00' } }],
    ['an empty window', { field: 'time', op: 'between', value: { from: '09:00', to: '09:00' } }],
    [
      'an unknown day',
      { field: 'time', op: 'between', value: { from: '09:00', to: '17:00', days: ['fry'] } },
    ],
    ['another time op', { field: 'time', op: 'is', value: { from: '09:00', to: '17:00' } }],
  ])('rejects %s', (_label, condition) => {
    expect(Condition.safeParse(condition).success).toBe(false);
  });
});

describe('routing: properties', () => {
  it('text ops agree with lower-cased string methods, and each negation is the complement', () => {
    const reference = {
      equals: (t: string, n: string) => t === n,
      contains: (t: string, n: string) => t.includes(n),
      starts_with: (t: string, n: string) => t.startsWith(n),
      ends_with: (t: string, n: string) => t.endsWith(n),
    };
    const ops = Object.keys(reference) as (keyof typeof reference)[];
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ minLength: 1, maxLength: 4 }), (text, needle) => {
        const rules = ops.flatMap((op) =>
          [op, `not_${op}`]
            .filter((o) => o !== 'not_starts_with' && o !== 'not_ends_with')
            .map((o) =>
              rule({
                conditions: [{ field: 'subject', op: o, value: needle } as ConditionIn],
                actions: [{ type: 'add_tags', tags: [o] }],
              }),
            ),
        );
        const tags = run(rules, { subject: text }).tags;
        for (const op of ops) {
          const expected = reference[op](text.toLowerCase(), needle.toLowerCase());
          expect(tags.includes(op)).toBe(expected);
          if (op === 'equals' || op === 'contains') expect(tags.includes(`not_${op}`)).toBe(!expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
