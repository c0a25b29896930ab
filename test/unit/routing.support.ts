import type { z } from 'zod';
import {
  compileRules,
  evaluateRules,
  type Condition,
  RuleInput,
  type RuleSubject,
  type StoredRule,
} from '../../src/modules/routing/routing.rules.ts';

// Shared by the routing engine's unit tests: a stored rule from input, a base
// subject, and running a set on it.

export type ConditionIn = z.input<typeof Condition>;
export type RuleIn = z.input<typeof RuleInput>;

let nextId = 100;
/** A stored rule as the service would keep it: validated input plus id and sort. */
export function rule(
  input: Partial<RuleIn> & Pick<RuleIn, 'actions'>,
  at: { id?: number; sort?: number } = {},
): StoredRule {
  const id = at.id ?? nextId++;
  return { id, sort: at.sort ?? id, ...RuleInput.parse({ name: `rule ${id}`, conditions: [], ...input }) };
}

export const BASE: RuleSubject = {
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

export function run(
  rules: StoredRule[],
  subject: Partial<RuleSubject> = {},
  opts: { phase?: 'intake' | 'reply'; timezone?: string } = {},
) {
  const set = compileRules(rules, { timezone: opts.timezone ?? 'UTC', phase: opts.phase ?? 'intake' });
  return evaluateRules(set, { ...BASE, ...subject });
}

/** Whether a one-condition rule matches the subject. */
export const holds = (condition: ConditionIn, subject: Partial<RuleSubject>, timezone = 'UTC') =>
  run([rule({ conditions: [condition], actions: [{ type: 'stop' }] })], subject, { timezone }).matched
    .length === 1;
