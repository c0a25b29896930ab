import {
  compileRules,
  evaluateRules,
  RuleInput,
  type RuleSubject,
  type StoredRule,
} from '../src/modules/routing/routing.rules.ts';
import type { z } from 'zod';
import { fmt, percentile } from './stats.ts';

// The routing engine's cost per incoming ticket: 200 rules of the kinds admins
// write (sender domains, subject words, lists, topics, office hours, ~10%
// regexes), of which only the last matches, so every rule is looked at. Run:
//   npx tsx -e "import('./bench/routing.bench.ts').then(m => m.runRoutingBench())"

const RULES = 200;
const RUNS = 10_000;
const TARGET_MS = 1;

function ruleFor(i: number): z.input<typeof RuleInput>['conditions'] {
  const domain = `client${i}.example`;
  switch (i % 10) {
    case 0:
      return [{ field: 'subject_or_body', op: 'matches', value: `\\b(order|invoice)\\s*#?${1000 + i}\\b` }];
    case 1:
      return [{ field: 'from_domain', op: 'equals', value: domain }];
    case 2:
      return [
        { field: 'from_domain', op: 'ends_with', value: `.${domain}` },
        { field: 'subject', op: 'contains', value: 'invoice' },
      ];
    case 3:
      return [{ field: 'subject', op: 'contains', value: `project ${i}` }];
    case 4:
      return [
        {
          field: 'from_domain',
          op: 'in',
          value: Array.from({ length: 25 }, (_, k) => `partner${i}-${k}.example`),
        },
      ];
    case 5:
      return [
        { field: 'help_topic', op: 'in', value: [100 + i, 200 + i] },
        { field: 'body', op: 'contains', value: 'contract' },
      ];
    case 6:
      return [
        { field: 'time', op: 'between', value: { from: '22:00', to: '06:00', days: ['sat', 'sun'] } },
        { field: 'from_domain', op: 'equals', value: domain },
      ];
    case 7:
      return [{ field: 'to', op: 'equals', value: `team${i}@deskline.local` }];
    case 8:
      return [
        { field: 'organization', op: 'is', value: 1000 + i },
        { field: 'channel', op: 'in', value: ['phone', 'web'] },
      ];
    default:
      return [{ field: 'field', key: 'account', op: 'equals', value: `acct-${i}` }];
  }
}

function buildRules(): StoredRule[] {
  const rules: z.input<typeof RuleInput>[] = Array.from({ length: RULES - 1 }, (_, i) => ({
    name: `Rule ${i}`,
    match: i % 7 === 0 ? 'any' : 'all',
    conditions: ruleFor(i),
    actions: [
      { type: 'set_department', departmentId: 1 + (i % 5) },
      { type: 'add_tags', tags: [`r${i}`] },
    ],
  }));
  rules.push({
    name: 'Bank outages',
    match: 'all',
    conditions: [
      { field: 'from_domain', op: 'equals', value: 'bank.example' },
      { field: 'subject', op: 'contains', value: 'outage' },
    ],
    actions: [
      { type: 'set_department', departmentId: 3 },
      { type: 'set_priority', priorityId: 4 },
    ],
  });
  return rules.map((r, i) => ({ id: i + 1, sort: (i + 1) * 10, ...RuleInput.parse(r) }));
}

const SUBJECT: RuleSubject = {
  channel: 'email',
  from: 'ops@bank.example',
  to: ['support@deskline.local', 'it@bank.example'],
  subject: 'Mobile banking OUTAGE since 09:12, customers cannot log in',
  body: 'Since this morning the mobile app shows error 502 for every login; the web portal still works. '.repeat(
    20,
  ),
  helpTopicId: 2,
  organizationId: 7,
  priorityId: 2,
  fields: { account: 'acct-bank', region: 'emea' },
  at: Date.UTC(2025, 0, 15, 10, 0),
};

export async function runRoutingBench(): Promise<void> {
  const rules = buildRules();
  const compileStart = performance.now();
  const set = compileRules(rules, { timezone: 'Europe/Berlin', phase: 'intake' });
  const compileMs = performance.now() - compileStart;
  const regexes = set.regexSlots.length;
  // Moving the clock a minute per run keeps the zone conversion in the measurement.
  const subjectAt = (i: number) => ({ ...SUBJECT, at: SUBJECT.at + i * 60_000 });
  const check = evaluateRules(set, subjectAt(0));
  if (check.matched.length !== 1 || check.departmentId !== 3 || check.errors.length)
    throw new Error(
      `routing bench: expected only the last rule to match, got ${JSON.stringify(check.matched)}`,
    );
  for (let i = 0; i < 2000; i++) evaluateRules(set, subjectAt(i));
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = subjectAt(i);
    const start = performance.now();
    evaluateRules(set, s);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  console.log(`routing: compiled ${RULES} rules (${regexes} regex conditions) in ${fmt(compileMs)} ms`);
  console.log(
    `routing: ${RULES} rules, median ${fmt(median, 3)} ms, p99 ${fmt(p99, 3)} ms (target < ${TARGET_MS} ms: ${fmt(TARGET_MS / median, 0)}x under)`,
  );
}
