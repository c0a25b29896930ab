import { z } from 'zod';
import { Email as Address } from '../../contract/email.contract.ts';
import {
  Condition,
  DeskClock,
  compileCondition,
  type ConditionScope,
  type ConditionTest,
  type IdField,
  type LocalTime,
} from './routing.conditions.ts';
import {
  DEFAULT_REGEX_TIMEOUT_MS,
  MATCH,
  NO_MATCH,
  RegexSandbox,
  TIMED_OUT,
  type RegexVerdict,
} from './routing.regex.ts';

/**
 * Routing rules (osTicket "ticket filters"): pure schemas, compile and evaluate.
 * The service stores rules and applies the outcome; nothing here touches I/O.
 *
 * Order and precedence, as in osTicket's filter processing:
 * - Active rules run in ascending `sort`, then `id`. For the 'reply' phase only
 *   rules with `onReply` run; the 'intake' phase runs them all.
 * - A rule matches when all (match 'all') or any (match 'any') of its
 *   conditions hold; a rule without conditions matches everything.
 * - Every matching rule applies its actions in order. A later rule's set_*
 *   overrides an earlier one's; tags and collaborators accumulate without
 *   duplicates; replies accumulate.
 * - 'reject' ends everything at once: the rest of that rule's actions and all
 *   later rules are ignored (what was set before stays in the outcome).
 * - 'stop' ends processing after the current rule's remaining actions.
 */

export { Condition, ConditionField } from './routing.conditions.ts';

const Id = z.number().int().positive();
const Tag = z.string().trim().toLowerCase().min(1).max(40);
// The one address schema of the API (documented with its format), kept lower-case here.
const Email = Address.transform((a) => a.toLowerCase());

export const Action = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set_department'), departmentId: Id }),
  z.object({ type: z.literal('set_help_topic'), helpTopicId: Id }),
  z.object({ type: z.literal('set_priority'), priorityId: Id }),
  z.object({ type: z.literal('set_sla_plan'), slaPlanId: Id }),
  z.object({ type: z.literal('set_team'), teamId: Id }),
  z.object({ type: z.literal('set_agent'), agentId: Id }),
  z.object({ type: z.literal('set_status'), statusId: Id }),
  z.object({ type: z.literal('add_tags'), tags: z.array(Tag).min(1).max(20) }),
  z.object({ type: z.literal('add_collaborators'), emails: z.array(Email).min(1).max(50) }),
  z.object({ type: z.literal('send_reply'), body: z.string().trim().min(1).max(20_000) }),
  z.object({ type: z.literal('reject'), reason: z.string().trim().min(1).max(500) }),
  z.object({ type: z.literal('stop') }),
]);
export type Action = z.infer<typeof Action>;

export const RuleInput = z.object({
  name: z.string().trim().min(1).max(120),
  isActive: z.boolean().default(true),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(Condition).max(50),
  actions: z.array(Action).min(1).max(30),
  onReply: z.boolean().default(false),
});
export type RuleInput = z.infer<typeof RuleInput>;

export interface RuleSubject {
  channel: 'email' | 'web' | 'phone' | 'api' | 'other';
  from: string;
  to: string[];
  subject: string;
  body: string;
  helpTopicId: number | null;
  organizationId: number | null;
  priorityId: number | null;
  fields: Record<string, string>;
  /** Epoch ms; 'time' conditions read it in the desk's zone. */
  at: number;
}

export interface StoredRule {
  id: number;
  name: string;
  sort: number;
  match: 'all' | 'any';
  conditions: Condition[];
  actions: Action[];
  onReply: boolean;
  isActive: boolean;
}

export interface CompiledRule {
  id: number;
  name: string;
  match: 'all' | 'any';
  tests: ConditionTest[];
  actions: readonly Action[];
}

/** A regex condition: pattern `pattern` of the sandbox against the values of text source `source`. */
interface RegexSlot {
  pattern: number;
  source: string;
}

/** Compiled once per rule change; evaluate it for as many subjects as needed. */
export interface RuleSet {
  readonly phase: 'intake' | 'reply';
  /** The rules that run, in order. */
  readonly rules: readonly CompiledRule[];
  /** Regex conditions in rule order; their slot is their index. */
  readonly regexSlots: readonly RegexSlot[];
  /** Null when no rule has a regex condition: the vm is then never entered. */
  readonly sandbox: RegexSandbox | null;
  readonly clock: DeskClock;
}

export interface RoutingOutcome {
  matched: { id: number; name: string }[];
  departmentId?: number;
  helpTopicId?: number;
  priorityId?: number;
  slaPlanId?: number;
  teamId?: number;
  agentId?: number;
  statusId?: number;
  tags: string[];
  collaborators: string[];
  replies: { ruleId: number; body: string }[];
  rejected: { ruleId: number; name: string; reason: string } | null;
  /** Conditions that could not be evaluated (a regex that ran out of time): they count as not matched. */
  errors: { ruleId: number; condition: number; code: 'regex_timeout' }[];
}

/**
 * Keeps the active rules of the phase, ordered by sort then id, and compiles
 * their conditions. Throws when the zone is unknown or a stored pattern does
 * not compile (the message names the rule id and condition index).
 */
export function compileRules(
  rules: StoredRule[],
  opts: { timezone: string; phase: 'intake' | 'reply'; regexTimeoutMs?: number },
): RuleSet {
  const clock = new DeskClock(opts.timezone);
  const patterns: string[] = [];
  const patternIndex = new Map<string, number>();
  const regexSlots: RegexSlot[] = [];
  const register = (pattern: string, source: string) => {
    let p = patternIndex.get(pattern);
    if (p === undefined) patternIndex.set(pattern, (p = patterns.push(pattern) - 1));
    return regexSlots.push({ pattern: p, source }) - 1;
  };
  const compiled = rules
    .filter((r) => r.isActive && (opts.phase === 'intake' || r.onReply))
    .sort((a, b) => a.sort - b.sort || a.id - b.id)
    .map((r) => ({
      id: r.id,
      name: r.name,
      match: r.match,
      actions: r.actions,
      tests: r.conditions.map((c, i) => {
        try {
          return compileCondition(c, i, register);
        } catch (e) {
          throw new Error(`routing rule ${r.id} condition ${i}: ${e instanceof Error ? e.message : e}`);
        }
      }),
    }));
  const sandbox = patterns.length
    ? new RegexSandbox(patterns, opts.regexTimeoutMs ?? DEFAULT_REGEX_TIMEOUT_MS)
    : null;
  return { phase: opts.phase, rules: compiled, regexSlots, sandbox, clock };
}

/** One subject's pass over a RuleSet: derived values are computed on first use and kept. */
class Evaluation implements ConditionScope {
  ruleId = 0;
  private readonly lowered = new Map<string, readonly string[]>();
  private verdicts = new Int8Array(0);
  /** Regex slots from this one on have verdicts. */
  private regexFrom = Infinity;
  private localTime: LocalTime | null = null;

  constructor(
    private readonly set: RuleSet,
    private readonly subject: RuleSubject,
    private readonly errors: RoutingOutcome['errors'],
  ) {}

  private raw(source: string): string[] {
    const s = this.subject;
    switch (source) {
      case 'channel':
        return [s.channel];
      case 'from':
        return [s.from.trim()];
      case 'from_domain': {
        const from = s.from.trim();
        return [from.slice(from.lastIndexOf('@') + 1)];
      }
      case 'to':
        return s.to.map((t) => t.trim());
      case 'subject':
        return [s.subject];
      case 'body':
        return [s.body];
      case 'subject_or_body':
        return [s.subject, s.body];
    }
    // A custom field; hasOwn so that a key like 'constructor' is not read off the prototype.
    const key = source.slice('field:'.length);
    return [Object.hasOwn(s.fields, key) ? s.fields[key]! : ''];
  }

  lower(source: string): readonly string[] {
    let values = this.lowered.get(source);
    if (!values) this.lowered.set(source, (values = this.raw(source).map((v) => v.toLowerCase())));
    return values;
  }

  id(field: IdField): number | null {
    if (field === 'help_topic') return this.subject.helpTopicId;
    return field === 'organization' ? this.subject.organizationId : this.subject.priorityId;
  }

  local(): LocalTime {
    return (this.localTime ??= this.set.clock.at(this.subject.at));
  }

  unevaluated(index: number): void {
    this.errors.push({ ruleId: this.ruleId, condition: index, code: 'regex_timeout' });
  }

  regex(slot: number): RegexVerdict {
    if (slot < this.regexFrom) this.runRegexes(slot);
    return this.verdicts[slot] as RegexVerdict;
  }

  /** One vm call for every regex slot from `from` on (earlier rules are behind us). */
  private runRegexes(from: number): void {
    const { regexSlots, sandbox } = this.set;
    const texts: string[] = [];
    const textsOf = new Map<string, number[]>();
    const pairs: number[] = [];
    const ends: number[] = [];
    for (let i = from; i < regexSlots.length; i++) {
      const { pattern, source } = regexSlots[i]!;
      let indexes = textsOf.get(source);
      if (!indexes) textsOf.set(source, (indexes = this.raw(source).map((t) => texts.push(t) - 1)));
      for (const t of indexes) pairs.push(pattern, t);
      ends.push(pairs.length / 2);
    }
    const results = sandbox!.run(pairs, texts);
    this.verdicts = new Int8Array(regexSlots.length);
    let start = 0;
    ends.forEach((end, k) => {
      // Over several values (recipients; subject and body) one match decides; a timeout only if none matched.
      const slice = results.subarray(start, end);
      this.verdicts[from + k] = slice.includes(MATCH)
        ? MATCH
        : slice.includes(TIMED_OUT)
          ? TIMED_OUT
          : NO_MATCH;
      start = end;
    });
    this.regexFrom = from;
  }
}

/** What no rule says. */
export const emptyOutcome = (): RoutingOutcome => ({
  matched: [],
  tags: [],
  collaborators: [],
  replies: [],
  rejected: null,
  errors: [],
});

export function evaluateRules(set: RuleSet, subject: RuleSubject): RoutingOutcome {
  const out = emptyOutcome();
  const ev = new Evaluation(set, subject, out.errors);
  const holds = (t: ConditionTest) => t(ev);
  const addNew = (list: string[], items: string[]) => {
    for (const item of items) if (!list.includes(item)) list.push(item);
  };
  for (const rule of set.rules) {
    ev.ruleId = rule.id;
    const matched =
      rule.tests.length === 0 || (rule.match === 'all' ? rule.tests.every(holds) : rule.tests.some(holds));
    if (!matched) continue;
    out.matched.push({ id: rule.id, name: rule.name });
    let stop = false;
    for (const a of rule.actions) {
      switch (a.type) {
        case 'set_department':
          out.departmentId = a.departmentId;
          break;
        case 'set_help_topic':
          out.helpTopicId = a.helpTopicId;
          break;
        case 'set_priority':
          out.priorityId = a.priorityId;
          break;
        case 'set_sla_plan':
          out.slaPlanId = a.slaPlanId;
          break;
        case 'set_team':
          out.teamId = a.teamId;
          break;
        case 'set_agent':
          out.agentId = a.agentId;
          break;
        case 'set_status':
          out.statusId = a.statusId;
          break;
        case 'add_tags':
          addNew(out.tags, a.tags);
          break;
        case 'add_collaborators':
          addNew(out.collaborators, a.emails);
          break;
        case 'send_reply':
          out.replies.push({ ruleId: rule.id, body: a.body });
          break;
        case 'reject':
          out.rejected = { ruleId: rule.id, name: rule.name, reason: a.reason };
          return out;
        case 'stop':
          stop = true;
          break;
      }
    }
    if (stop) break;
  }
  return out;
}

/** One rule as the preview explains it: whether each condition held, in the editor's order. */
export interface RuleTrace {
  id: number;
  name: string;
  matched: boolean;
  conditions: boolean[];
}

/**
 * Every condition of the rules that ran on one subject, for the preview only
 * (intake runs evaluateRules, which stops at the first condition that
 * decides): an admin sees which condition failed, not just "no match". The
 * rules after one that stopped or rejected did not run and are not listed. A
 * condition that could not be evaluated (regex timeout) does not hold, as at intake.
 */
export function explainRules(set: RuleSet, subject: RuleSubject): RuleTrace[] {
  const ev = new Evaluation(set, subject, []);
  const traces: RuleTrace[] = [];
  for (const rule of set.rules) {
    ev.ruleId = rule.id;
    const conditions = rule.tests.map((t) => t(ev));
    const matched =
      conditions.length === 0 ||
      (rule.match === 'all' ? conditions.every(Boolean) : conditions.some(Boolean));
    traces.push({ id: rule.id, name: rule.name, matched, conditions });
    if (matched && rule.actions.some((a) => a.type === 'stop' || a.type === 'reject')) break;
  }
  return traces;
}
