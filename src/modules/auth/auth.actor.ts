import type { Db } from '../../db/database.ts';
import type { AgentRole } from '../../db/schema.ts';
import { notFound } from '../../lib/errors.ts';
import { accessOf, findAgentForActor, teamsOf } from '../directory/agents.repository.ts';
import { findCustomerForActor } from '../directory/customers.repository.ts';

export const PERMISSIONS = ['view', 'reply', 'assign', 'transfer', 'close', 'delete'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Who is acting. Loaded once per request (or job); services decide with it, never with raw ids. */
export type Actor =
  | {
      kind: 'agent';
      id: number;
      role: AgentRole;
      name: string;
      /** Department id → what the agent may do there. Admins may do everything everywhere. */
      departments: ReadonlyMap<number, ReadonlySet<Permission>>;
      teams: ReadonlySet<number>;
      /** May change customers' organizations and addresses (customers.policy.ts). */
      manageCustomers: boolean;
    }
  | { kind: 'customer'; id: number; organizationId: number | null; seesOrganization: boolean }
  | { kind: 'system' };

export type AgentActor = Extract<Actor, { kind: 'agent' }>;
export type CustomerActor = Extract<Actor, { kind: 'customer' }>;

export const SYSTEM: Actor = { kind: 'system' };

export const parsePermissions = (list: string): Set<Permission> =>
  new Set(
    PERMISSIONS.filter((p) =>
      list
        .split(',')
        .map((s) => s.trim())
        .includes(p),
    ),
  );

export async function loadAgentActor(db: Db, agentId: number): Promise<AgentActor> {
  const agent = await findAgentForActor(db, agentId);
  if (!agent || !agent.is_active) throw notFound('agent');
  const [access, teams] = await Promise.all([accessOf(db, [agentId]), teamsOf(db, [agentId])]);
  return {
    kind: 'agent',
    id: agent.id,
    role: agent.role,
    name: agent.name,
    departments: new Map(access.map((a) => [a.department_id, parsePermissions(a.permissions)])),
    teams: new Set(teams.map((t) => t.team_id)),
    manageCustomers: agent.manage_customers === 1,
  };
}

export async function loadCustomerActor(db: Db, customerId: number): Promise<CustomerActor> {
  const row = await findCustomerForActor(db, customerId);
  if (!row) throw notFound('customer');
  return {
    kind: 'customer',
    id: row.id,
    organizationId: row.organization_id,
    seesOrganization: row.shares_tickets === 1,
  };
}

export const actorRef = (actor: Actor): { actor_type: Actor['kind']; actor_id: number | null } =>
  actor.kind === 'system'
    ? { actor_type: 'system', actor_id: null }
    : { actor_type: actor.kind, actor_id: actor.id };
