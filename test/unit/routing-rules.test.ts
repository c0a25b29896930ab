/**
 * The routing engine's rules (src/modules/routing/routing.rules.ts): order and
 * precedence (osTicket filter semantics), the time-limited regex sandbox,
 * schema validation and properties.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  Action,
  Condition,
  RuleInput,
  compileRules,
  evaluateRules,
  type StoredRule,
} from '../../src/modules/routing/routing.rules.ts';
import { BASE, holds, rule, run, type ConditionIn } from './routing.support.ts';

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
