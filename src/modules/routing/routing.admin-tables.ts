import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { invalid } from '../../lib/errors.ts';
import { anyRowWith } from '../directory/directory.admin.repository.ts';
import { defined, flag, type AdminTable, type Row } from '../directory/directory.admin.service.ts';
import { Action, Condition, RuleInput } from './routing.rules.ts';
import { isoText } from '../../contract/instant.contract.ts';

// Routing rules for the admin tables (directory.admin.service.ts). Conditions and
// actions are validated (regexes compiled) by the rule schemas; the ids an
// action names must exist when the rule is saved. At intake a rule whose
// target was deleted since is skipped for that field, never fatal.

const Sort = z.number().int().min(0).max(1_000_000);
const RuleCreate = RuleInput.extend({ sort: Sort.optional() }).strict();
// No defaults on a PATCH: a field left out stays as stored.
const RuleUpdate = z.strictObject({
  name: RuleInput.shape.name.optional(),
  isActive: z.boolean().optional(),
  match: z.enum(['all', 'any']).optional(),
  conditions: RuleInput.shape.conditions.optional(),
  actions: RuleInput.shape.actions.optional(),
  onReply: z.boolean().optional(),
  sort: Sort.optional(),
});
type RuleFields = z.output<typeof RuleUpdate>;

const TARGETS = {
  set_department: ['departmentId', 'departments'],
  set_help_topic: ['helpTopicId', 'help_topics'],
  set_priority: ['priorityId', 'priorities'],
  set_sla_plan: ['slaPlanId', 'sla_plans'],
  set_team: ['teamId', 'teams'],
  set_agent: ['agentId', 'agents'],
  set_status: ['statusId', 'statuses'],
} as const;

async function checkTargets(trx: Db, actions: Action[]) {
  for (const [i, a] of actions.entries()) {
    if (!(a.type in TARGETS)) continue;
    const [key, table] = TARGETS[a.type as keyof typeof TARGETS];
    const id = (a as Record<string, unknown>)[key] as number;
    if (!(await anyRowWith(trx, table, 'id', id))) {
      const path = `actions.${i}.${key}`;
      throw invalid('validation_failed', `${path}: no such ${table.replace(/_/g, ' ').replace(/s$/, '')}`, [
        { path, message: 'not found' },
      ]);
    }
  }
}

export const routingRules: AdminTable = {
  name: 'routing_rule',
  table: 'routing_rules',
  create: RuleCreate,
  update: RuleUpdate,
  orderBy: ['sort', 'id'],
  toRow: async (trx, i: RuleFields, now, current) => {
    if (i.actions) await checkTargets(trx, i.actions);
    return defined({
      name: i.name,
      is_active: flag(i.isActive),
      match: i.match,
      conditions: i.conditions === undefined ? undefined : JSON.stringify(i.conditions),
      actions: i.actions === undefined ? undefined : JSON.stringify(i.actions),
      on_reply: flag(i.onReply),
      sort: i.sort ?? (current ? undefined : 0),
      created_at: current ? undefined : now,
      updated_at: now,
    });
  },
  usedBy: [],
};

export const RoutingRuleOut = z.object({
  id: z.number(),
  name: z.string(),
  sort: z.number(),
  isActive: z.boolean(),
  match: z.enum(['all', 'any']),
  conditions: z.array(Condition),
  actions: z.array(Action),
  onReply: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const presentRoutingRule = (r: Row) => ({
  id: r.id,
  name: String(r.name),
  sort: Number(r.sort),
  isActive: r.is_active === 1,
  match: r.match as 'all' | 'any',
  conditions: JSON.parse(String(r.conditions)) as z.output<typeof Condition>[],
  actions: JSON.parse(String(r.actions)) as Action[],
  onReply: r.on_reply === 1,
  createdAt: isoText(r.created_at),
  updatedAt: isoText(r.updated_at),
});
