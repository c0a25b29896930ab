import type { Insertable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

// The demo desk's reference rows (demo-reference.ts, demo-automation.ts):
// each insert leaves a row that exists alone, so seeding twice changes nothing.

type Named = 'departments' | 'sla_plans' | 'teams' | 'priorities' | 'organizations';

/** The id of a row by its unique name (agents: by email). */
export async function idOf(db: Db, table: Named | 'agents', value: string): Promise<number> {
  const row =
    table === 'agents'
      ? await db.selectFrom('agents').select('id').where('email', '=', value).executeTakeFirstOrThrow()
      : await db.selectFrom(table).select('id').where('name', '=', value).executeTakeFirstOrThrow();
  return row.id;
}

export async function insertStatuses(db: Db, rows: Insertable<Database['statuses']>[]): Promise<void> {
  await db
    .insertInto('statuses')
    .values(rows)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function insertPriorities(db: Db, rows: Insertable<Database['priorities']>[]): Promise<void> {
  await db
    .insertInto('priorities')
    .values(rows)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function insertSlaPlans(db: Db, rows: Insertable<Database['sla_plans']>[]): Promise<void> {
  await db
    .insertInto('sla_plans')
    .values(rows)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function insertDepartments(db: Db, rows: Insertable<Database['departments']>[]): Promise<void> {
  await db
    .insertInto('departments')
    .values(rows)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function setDepartment(
  db: Db,
  name: string,
  set: { manager_id?: number; sla_plan_id?: number },
): Promise<void> {
  await db.updateTable('departments').set(set).where('name', '=', name).execute();
}

export async function insertMailbox(db: Db, row: Insertable<Database['mailboxes']>): Promise<void> {
  await db
    .insertInto('mailboxes')
    .values(row)
    .onConflict((oc) => oc.column('address').doNothing())
    .execute();
}

export async function insertOrganization(db: Db, row: Insertable<Database['organizations']>): Promise<void> {
  await db
    .insertInto('organizations')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function insertCustomer(db: Db, row: Insertable<Database['customers']>): Promise<void> {
  await db
    .insertInto('customers')
    .values(row)
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
}

export async function insertAgent(db: Db, row: Insertable<Database['agents']>): Promise<void> {
  await db
    .insertInto('agents')
    .values(row)
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
}

export async function grantDepartments(
  db: Db,
  rows: Insertable<Database['agent_departments']>[],
): Promise<void> {
  await db
    .insertInto('agent_departments')
    .values(rows)
    .onConflict((oc) => oc.columns(['agent_id', 'department_id']).doNothing())
    .execute();
}

export async function insertTeams(db: Db, rows: Insertable<Database['teams']>[]): Promise<void> {
  await db
    .insertInto('teams')
    .values(rows)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function addTeamMembers(db: Db, rows: Insertable<Database['team_members']>[]): Promise<void> {
  await db
    .insertInto('team_members')
    .values(rows)
    .onConflict((oc) => oc.columns(['team_id', 'agent_id']).doNothing())
    .execute();
}

export async function insertHelpTopics(db: Db, rows: Insertable<Database['help_topics']>[]): Promise<void> {
  await db
    .insertInto('help_topics')
    .values(rows)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function insertRoutingRule(db: Db, row: Insertable<Database['routing_rules']>): Promise<void> {
  await db.insertInto('routing_rules').values(row).execute();
}
