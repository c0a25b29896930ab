import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AgentRole, AgentsTable } from '../../db/schema.ts';

// agents, agent_departments (where each may work, with what permissions) and
// team_members. Addresses are stored normalized (customers.repository.ts), so
// lookups by email compare stored forms.

export function findAgentById(db: Db, id: number) {
  return db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The agent with this address, active or not (staff addresses never become customers). */
export function findAgentIdByEmail(db: Db, email: string) {
  return db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirst();
}

export function findActiveAgentIdByEmail(db: Db, email: string) {
  return db
    .selectFrom('agents')
    .select('id')
    .where('email', '=', email)
    .where('is_active', '=', 1)
    .executeTakeFirst();
}

/** What an Actor is built from. */
export function findAgentForActor(db: Db, id: number) {
  return db
    .selectFrom('agents')
    .select(['id', 'role', 'name', 'is_active', 'manage_customers'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Agents as the admin API lists them (one, or all in id order). */
export function listAgentRows(db: Db, onlyId?: number) {
  let q = db
    .selectFrom('agents')
    .select([
      'id',
      'name',
      'email',
      'role',
      'is_active',
      'availability',
      'max_open_tickets',
      'manage_customers',
    ])
    .orderBy('id');
  if (onlyId !== undefined) q = q.where('id', '=', onlyId);
  return q.execute();
}

export function accessOf(db: Db, agentIds: number[]) {
  return db.selectFrom('agent_departments').selectAll().where('agent_id', 'in', agentIds).execute();
}

export function teamsOf(db: Db, agentIds: number[]) {
  return db.selectFrom('team_members').selectAll().where('agent_id', 'in', agentIds).execute();
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('agents')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('role', '=', 'admin')
    .where('is_active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Changes the named columns; returns how many rows changed (0: no such agent). */
export async function updateAgent(db: Db, id: number, patch: Updateable<AgentsTable>): Promise<number> {
  const r = await db.updateTable('agents').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function insertAgent(
  db: Db,
  a: {
    email: string;
    name: string;
    passwordHash: string;
    role: AgentRole;
    manageCustomers: boolean;
    now: number;
  },
) {
  return db
    .insertInto('agents')
    .values({
      email: a.email,
      name: a.name,
      password_hash: a.passwordHash,
      role: a.role,
      max_open_tickets: null,
      manage_customers: a.manageCustomers ? 1 : 0,
      created_at: a.now,
      updated_at: a.now,
    })
    .returning(['id', 'email', 'name', 'role'])
    .executeTakeFirstOrThrow();
}

/** Grants a department; `upsert` replaces the permissions of a grant the agent has. */
export async function grantDepartment(
  db: Db,
  g: { agentId: number; departmentId: number; permissions: string },
  upsert = false,
): Promise<void> {
  const q = db
    .insertInto('agent_departments')
    .values({ agent_id: g.agentId, department_id: g.departmentId, permissions: g.permissions });
  await (
    upsert
      ? q.onConflict((oc) =>
          oc.columns(['agent_id', 'department_id']).doUpdateSet({ permissions: g.permissions }),
        )
      : q
  ).execute();
}

export async function revokeDepartments(db: Db, agentId: number): Promise<void> {
  await db.deleteFrom('agent_departments').where('agent_id', '=', agentId).execute();
}

/** Agents granted this department. */
export async function agentIdsOfDepartment(db: Db, departmentId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('agent_departments')
    .select('agent_id')
    .where('department_id', '=', departmentId)
    .execute();
  return rows.map((r) => r.agent_id);
}

export async function leaveTeams(db: Db, agentId: number): Promise<void> {
  await db.deleteFrom('team_members').where('agent_id', '=', agentId).execute();
}

export async function joinTeam(db: Db, teamId: number, agentId: number): Promise<void> {
  await db
    .insertInto('team_members')
    .values({ team_id: teamId, agent_id: agentId })
    .onConflict((oc) => oc.columns(['team_id', 'agent_id']).doNothing())
    .execute();
}

/** Replaces a team's member list. */
export async function replaceTeamMembers(db: Db, teamId: number, agentIds: number[]): Promise<void> {
  await db.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  if (agentIds.length)
    await db
      .insertInto('team_members')
      .values(agentIds.map((agent_id) => ({ team_id: teamId, agent_id })))
      .execute();
}

/** The members of these teams (one query for any number of teams), in agent id order. */
export function membersOfTeams(db: Db, teamIds: number[]) {
  if (teamIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('team_members')
    .innerJoin('agents', 'agents.id', 'team_members.agent_id')
    .select(['team_members.team_id', 'agents.id', 'agents.name', 'agents.email'])
    .where('team_members.team_id', 'in', teamIds)
    .orderBy('agents.id')
    .execute();
}

/** Sign-in: the account behind an address. */
export function findAgentCredentials(db: Db, email: string) {
  return db
    .selectFrom('agents')
    .select(['id', 'password_hash', 'is_active'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export function findAgentPasswordHash(db: Db, id: number) {
  return db.selectFrom('agents').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow();
}

export function findAgentProfile(db: Db, id: number) {
  return db
    .selectFrom('agents')
    .select(['name', 'email', 'signature', 'availability'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** The addresses of these agents that are active. */
export async function activeAgentEmails(db: Db, ids: number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('agents')
    .select('email')
    .where('id', 'in', ids)
    .where('is_active', '=', 1)
    .execute();
  return rows.map((r) => r.email);
}

/** Which of these addresses are staff (active or not), with each one's alert choices. */
export function agentsWithEmails(db: Db, emails: string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return db.selectFrom('agents').select(['email', 'notifications']).where('email', 'in', emails).execute();
}

export function findNotifications(db: Db, id: number) {
  return db.selectFrom('agents').select('notifications').where('id', '=', id).executeTakeFirst();
}

export function setNotifications(db: Db, id: number, json: string, now: number) {
  return db
    .updateTable('agents')
    .set({ notifications: json, updated_at: now })
    .where('id', '=', id)
    .returning('notifications')
    .executeTakeFirst();
}

export function agentNames(db: Db, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('agents').select(['id', 'name']).where('id', 'in', ids).execute();
}

/** A team's member ids, each with the team's name (none: the team has no members). */
export function teamMembersWithTeamName(db: Db, teamId: number) {
  return db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['team_members.agent_id', 'teams.name'])
    .where('team_members.team_id', '=', teamId)
    .execute();
}
