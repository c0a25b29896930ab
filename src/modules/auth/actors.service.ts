import type { Db } from '../../db/database.ts';
import { notFound } from '../../lib/errors.ts';
import { accessOf, findAgentForActor, teamsOf } from '../directory/agents.repository.ts';
import { findCustomerForActor } from '../directory/customers.repository.ts';
import { parsePermissions, type AgentActor, type CustomerActor } from './auth.actor.ts';

// The Actor of a signed-in agent or customer, read afresh (the Authenticator
// keeps an API key's agent for a few seconds).

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
