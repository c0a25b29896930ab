/**
 * The routing engine's conditions (src/modules/routing/routing.conditions.ts):
 * the case, every text op on every field, recipients, custom fields,
 * ids, channels and time windows in the desk's zone (local times worked out by hand).
 */
import { describe, expect, it } from 'vitest';
import { compileRules, type RuleSubject } from '../../src/modules/routing/routing.rules.ts';
import { holds, rule, run, type ConditionIn } from './routing.support.ts';

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
