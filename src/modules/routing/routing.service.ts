import type { Db } from '../../db/database.ts';
import type { RoutingRuleRow, TicketSource } from '../../db/schema.ts';
import { AppError } from '../../lib/errors.ts';
import type { Log } from '../../lib/log.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { insertRejection } from './routing.rejections.repository.ts';
import {
  compileRules,
  emptyOutcome,
  evaluateRules,
  type RoutingOutcome,
  type RuleSet,
  type RuleSubject,
  type StoredRule,
} from './routing.rules.ts';

// Where the rules meet the rest of the desk: the compiled rule sets of a
// reference snapshot (compiled once per snapshot, so an admin's change applies
// within the snapshot's few seconds), and the refusal a rule can give.

export const toStoredRule = (r: RoutingRuleRow): StoredRule => ({
  id: r.id,
  name: r.name,
  sort: r.sort,
  match: r.match,
  conditions: JSON.parse(r.conditions) as StoredRule['conditions'],
  actions: JSON.parse(r.actions) as StoredRule['actions'],
  onReply: r.on_reply === 1,
  isActive: r.is_active === 1,
});

type Sets = { intake: RuleSet; reply: RuleSet };
// Compiled once per distinct rule list (snapshots come every few seconds; rules change rarely).
let last: { key: string; sets: Sets } | undefined;
const bySnapshot = new WeakMap<ReferenceSnapshot, Sets>();

/** `log` hears of a stored rule that no longer compiles (once per rule list); the caller's unit of work's logger. */
export function ruleSets(ref: ReferenceSnapshot, log?: Log): Sets {
  const known = bySnapshot.get(ref);
  if (known) return known;
  const timezone = ref.settings.automation.timezone;
  const key = `${timezone}|${ref.routingRules.map((r) => `${r.id}:${r.updated_at}`).join(',')}`;
  if (last?.key !== key) last = { key, sets: compileBoth(ref.routingRules.map(toStoredRule), timezone, log) };
  bySnapshot.set(ref, last.sets);
  return last.sets;
}

function compileBoth(rules: StoredRule[], timezone: string, log: Log | undefined): Sets {
  const both = (list: StoredRule[]) => ({
    intake: compileRules(list, { timezone, phase: 'intake' }),
    reply: compileRules(list, { timezone, phase: 'reply' }),
  });
  try {
    return both(rules);
  } catch {
    // Rules are validated when saved; one that no longer compiles must not stop
    // intake: it is skipped, and each one skipped is logged with its reason.
    return both(rules.filter((r) => compiles(r, timezone, log)));
  }
}

function compiles(rule: StoredRule, timezone: string, log: Log | undefined): boolean {
  try {
    compileRules([rule], { timezone, phase: 'intake' });
    return true;
  } catch (err) {
    log?.error(
      { err, ruleId: rule.id, rule: rule.name },
      'a stored routing rule does not compile; it is skipped',
    );
    return false;
  }
}

/** What a rule looks at, from a new ticket's input (HTML bodies are read as text). */
export function subjectOf(i: {
  source: TicketSource;
  from: string;
  to?: string[];
  subject: string;
  body: string;
  format: 'text' | 'html';
  helpTopicId: number | null;
  organizationId: number | null;
  priorityId: number | null;
  fields?: Record<string, string>;
  at: number;
}): RuleSubject {
  return {
    channel: i.source,
    from: i.from,
    to: i.to ?? [],
    subject: i.subject,
    body: i.format === 'html' ? htmlText(i.body) : i.body,
    helpTopicId: i.helpTopicId,
    organizationId: i.organizationId,
    priorityId: i.priorityId,
    fields: i.fields ?? {},
    at: i.at,
  };
}

const htmlText = (html: string) =>
  html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ');

/** What no rule says (a desk without rules pays nothing per request). */
const NOTHING: Readonly<RoutingOutcome> = Object.freeze(emptyOutcome());

export const routeIntake = (ref: ReferenceSnapshot, subject: () => RuleSubject, log?: Log): RoutingOutcome =>
  ref.routingRules.length === 0 ? NOTHING : evaluateRules(ruleSets(ref, log).intake, subject());

export const routeReply = (ref: ReferenceSnapshot, subject: () => RuleSubject, log?: Log): RoutingOutcome =>
  ref.routingRules.length === 0 ? NOTHING : evaluateRules(ruleSets(ref, log).reply, subject());

/** A rule refused the request. The caller records it (recordRejection, or the inbound message): never silently dropped. */
export class RuleRejected extends AppError {
  constructor(readonly rule: { ruleId: number; name: string; reason: string }) {
    // The sender is not told which rule (admins see it in the rejections list).
    super('rejected_by_rule', 403, 'This request was not accepted by the help desk');
  }
}

export async function recordRejection(
  db: Db,
  r: RuleRejected,
  i: { channel: string; requester: string; subject: string; payload: unknown },
  now: number,
): Promise<number> {
  return insertRejection(db, {
    channel: i.channel,
    rule_id: r.rule.ruleId,
    rule_name: r.rule.name,
    reason: r.rule.reason,
    requester: i.requester,
    subject: i.subject.slice(0, 255),
    payload: JSON.stringify(i.payload),
    created_at: now,
  });
}
