import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { inTransaction, type Deps } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { NewJob } from '../outbox/outbox.registry.ts';
import { enqueue } from '../outbox/outbox.service.ts';
import { PERMISSIONS } from '../../contract/auth.contract.ts';
import { parsePermissions } from '../auth/auth.actor.ts';
import { deleteSessionsOf } from '../auth/sessions.repository.ts';
import { AgentUpdate, Availability, type AgentOut } from '../../contract/directory.contract.ts';
import * as agents from './agents.repository.ts';
import { findDepartment, findTeam } from './directory.repository.ts';

export type AgentView = AgentOut;

export async function listAgents(db: Db, onlyId?: number): Promise<AgentView[]> {
  const rows = await agents.listAgentRows(db, onlyId);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [access, teams] = await Promise.all([agents.accessOf(db, ids), agents.teamsOf(db, ids)]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role,
    isActive: r.is_active === 1,
    availability: r.availability,
    maxOpenTickets: r.max_open_tickets,
    manageCustomers: r.manage_customers === 1,
    departments: access
      .filter((a) => a.agent_id === r.id)
      .map((a) => ({ id: a.department_id, permissions: [...parsePermissions(a.permissions)] })),
    teams: teams.filter((t) => t.agent_id === r.id).map((t) => t.team_id),
  }));
}

export async function getAgent(db: Db, id: number): Promise<AgentView> {
  const [agent] = await listAgents(db, id);
  if (!agent) throw notFound('agent');
  return agent;
}

/** Admin changes to an agent; the desk always keeps at least one active admin. */
export async function updateAgent(deps: Deps, id: number, raw: unknown): Promise<AgentView> {
  const input = parseInput(AgentUpdate, raw);
  await inTransaction(deps, async (trx) => {
    const now = deps.clock.now();
    const agent = await agents.findAgentById(trx, id);
    if (!agent) throw notFound('agent');
    const losesAdmin =
      agent.role === 'admin' && agent.is_active === 1 && (input.role === 'agent' || input.isActive === false);
    if (losesAdmin && (await agents.countActiveAdmins(trx)) <= 1)
      throw new AppError('last_admin', 409, 'The desk needs at least one active admin');
    await agents.updateAgent(trx, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.isActive !== undefined ? { is_active: input.isActive ? 1 : 0 } : {}),
      ...(input.availability !== undefined ? { availability: input.availability } : {}),
      ...(input.maxOpenTickets !== undefined ? { max_open_tickets: input.maxOpenTickets } : {}),
      ...(input.manageCustomers !== undefined ? { manage_customers: input.manageCustomers ? 1 : 0 } : {}),
      updated_at: now,
    });
    if (input.departments) await replaceAccess(trx, id, input.departments);
    if (input.teams) await replaceTeams(trx, id, input.teams);
    const freed =
      (input.availability === 'available' && agent.availability !== 'available') ||
      (input.isActive === true && agent.is_active === 0) ||
      input.maxOpenTickets !== undefined ||
      input.departments !== undefined ||
      input.teams !== undefined;
    if (freed) await enqueue(trx, now, [BACKLOG_JOB]);
    // A deactivated agent is signed out everywhere.
    if (input.isActive === false) await deleteSessionsOf(trx, { type: 'agent', id });
  });
  return getAgent(deps.db, id);
}

/** An agent who can take work again picks up waiting unassigned tickets (the scheduler's backlog pass, at once). */
const BACKLOG_JOB: NewJob = { type: 'assign.backlog', payload: {} };

/** An agent sets their own availability (available / away / on vacation). */
export async function setAvailability(deps: Deps, agentId: number, raw: unknown) {
  const { availability } = parseInput(Availability, raw);
  await inTransaction(deps, async (trx) => {
    const now = deps.clock.now();
    const before = await agents.findAgentById(trx, agentId);
    if (!before) throw notFound('agent');
    await agents.updateAgent(trx, agentId, { availability, updated_at: now });
    if (availability === 'available' && before.availability !== 'available')
      await enqueue(trx, now, [BACKLOG_JOB]);
  });
  return { availability };
}

async function replaceAccess(
  trx: Db,
  agentId: number,
  list: NonNullable<z.output<typeof AgentUpdate>['departments']>,
) {
  await agents.revokeDepartments(trx, agentId);
  for (const access of list) {
    const dept = await findDepartment(trx, access.department);
    if (!dept) throw notFound('department');
    const permissions = (access.permissions ?? PERMISSIONS).join(',');
    await agents.grantDepartment(trx, { agentId, departmentId: dept.id, permissions }, true);
  }
}

async function replaceTeams(trx: Db, agentId: number, refs: (string | number)[]) {
  await agents.leaveTeams(trx, agentId);
  for (const ref of new Set(refs)) {
    const team = await findTeam(trx, ref);
    if (!team) throw notFound('team');
    await agents.joinTeam(trx, team.id, agentId);
  }
}
