import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { IdOrName } from '../../contract/common.contract.ts';
import { Email } from '../../contract/email.contract.ts';
import { AutoAssign } from '../../contract/directory.contract.ts';
import { membersOfTeams, replaceTeamMembers } from './agents.repository.ts';
import { defined, flag, iso, Name, refOf, type AdminTable, type Row } from './directory.admin.service.ts';
import * as dir from './directory.repository.ts';

// The admin-managed tables, each described once: its input schemas, how
// input becomes columns, what may still use a row, and its API shape.
// (Mailboxes and templates: mail/mail.admin-tables.ts; SLA plans: sla/sla.admin-tables.ts;
// routing rules: routing/routing.admin-tables.ts.)

const Department = z.strictObject({
  name: Name,
  email: Email.nullable().optional(),
  manager: IdOrName.nullable().optional(),
  slaPlan: IdOrName.nullable().optional(),
  autoAssign: AutoAssign.optional(),
  autoCloseDays: z.number().int().min(0).max(3650).nullable().optional(),
});
export const departments: AdminTable = {
  name: 'department',
  table: 'departments',
  create: Department,
  update: Department.partial(),
  toRow: async (trx, i: Partial<z.output<typeof Department>>, now, current) =>
    defined({
      name: i.name,
      email: i.email,
      manager_id: await refOf(trx, i.manager, dir.findAgent, 'agent'),
      sla_plan_id: await refOf(trx, i.slaPlan, dir.findSlaPlan, 'sla_plan'),
      auto_assign: i.autoAssign,
      auto_close_days: i.autoCloseDays,
      created_at: current ? undefined : now,
    }),
  usedBy: [
    ['tickets', 'department_id'],
    ['help_topics', 'department_id'],
  ],
};
export const presentDepartment = (r: Row) => ({
  id: r.id,
  name: r.name,
  email: r.email ?? null,
  managerId: r.manager_id ?? null,
  slaPlanId: r.sla_plan_id ?? null,
  autoAssign: r.auto_assign,
  autoCloseDays: r.auto_close_days ?? null,
  createdAt: iso(r.created_at),
});

export const presentTeam = (r: Row) => ({
  id: r.id,
  name: r.name,
  leadId: r.lead_id ?? null,
  autoAssign: r.auto_assign,
  members: r.members,
});

const Team = z.strictObject({
  name: Name,
  lead: IdOrName.nullable().optional(),
  autoAssign: AutoAssign.optional(),
  /** Replaces the member list: agents by email, name or id. */
  members: z.array(IdOrName).max(500).optional(),
});
export const teams: AdminTable = {
  name: 'team',
  table: 'teams',
  create: Team,
  update: Team.partial(),
  toRow: async (trx, i: Partial<z.output<typeof Team>>, now, current) =>
    defined({
      name: i.name,
      lead_id: await refOf(trx, i.lead, dir.findAgent, 'agent'),
      auto_assign: i.autoAssign,
      created_at: current ? undefined : now,
    }),
  afterWrite: async (trx, row, i: Partial<z.output<typeof Team>>) => {
    // team_members has no id column; the in-use check of a delete never looks at it.
    if (!i.members) return;
    const ids = new Set<number>();
    for (const m of i.members) ids.add((await refOf(trx, m, dir.findAgent, 'agent'))!);
    await replaceTeamMembers(trx, row.id, [...ids]);
  },
  // Every listed team's members in one query.
  details: async (db, rows) => {
    const members = await membersOfTeams(
      db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      ...r,
      members: members
        .filter((m) => m.team_id === r.id)
        .map((m) => ({ id: m.id, name: m.name, email: m.email })),
    }));
  },
  usedBy: [
    ['tickets', 'team_id'],
    ['help_topics', 'team_id'],
  ],
};

const HelpTopic = z.strictObject({
  name: Name,
  department: IdOrName.nullable().optional(),
  priority: IdOrName.nullable().optional(),
  slaPlan: IdOrName.nullable().optional(),
  team: IdOrName.nullable().optional(),
  autoResponse: z.boolean().optional(),
  isPublic: z.boolean().optional(),
});
export const helpTopics: AdminTable = {
  name: 'help_topic',
  table: 'help_topics',
  create: HelpTopic,
  update: HelpTopic.partial(),
  toRow: async (trx, i: Partial<z.output<typeof HelpTopic>>, now, current) =>
    defined({
      name: i.name,
      department_id: await refOf(trx, i.department, dir.findDepartment, 'department'),
      priority_id: await refOf(trx, i.priority, dir.findPriority, 'priority'),
      sla_plan_id: await refOf(trx, i.slaPlan, dir.findSlaPlan, 'sla_plan'),
      team_id: await refOf(trx, i.team, dir.findTeam, 'team'),
      auto_response: flag(i.autoResponse),
      is_public: flag(i.isPublic),
      created_at: current ? undefined : now,
    }),
  usedBy: [['tickets', 'help_topic_id']],
};
export const presentHelpTopic = (r: Row) => ({
  id: r.id,
  name: r.name,
  departmentId: r.department_id ?? null,
  priorityId: r.priority_id ?? null,
  slaPlanId: r.sla_plan_id ?? null,
  teamId: r.team_id ?? null,
  autoResponse: r.auto_response === 1,
  isPublic: r.is_public === 1,
});

const Priority = z.strictObject({
  name: Name,
  level: z.number().int().min(0).max(100),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #d9480f'),
  isDefault: z.boolean().optional(),
});
export const priorities: AdminTable = {
  name: 'priority',
  table: 'priorities',
  create: Priority,
  update: Priority.partial(),
  toRow: async (trx, i: Partial<z.output<typeof Priority>>) => {
    if (i.isDefault) await dir.clearDefaultPriority(trx);
    return defined({ name: i.name, level: i.level, color: i.color, is_default: flag(i.isDefault) });
  },
  usedBy: [
    ['tickets', 'priority_id'],
    ['help_topics', 'priority_id'],
  ],
};
export const presentPriority = (r: Row) => ({
  id: r.id,
  name: r.name,
  level: r.level,
  color: r.color,
  isDefault: r.is_default === 1,
});

const Status = z.strictObject({
  name: Name,
  state: z.enum(['open', 'pending', 'resolved', 'closed']),
  pausesSla: z.boolean().optional(),
  sort: z.number().int().min(0).max(1000).optional(),
});
export const statuses: AdminTable = {
  name: 'status',
  table: 'statuses',
  create: Status,
  // A status's state is what tickets in it mean; changing it under them would lie.
  update: Status.omit({ state: true }).partial(),
  toRow: async (_trx, i: Partial<z.output<typeof Status>>) =>
    defined({ name: i.name, state: i.state, pauses_sla: flag(i.pausesSla), sort: i.sort }),
  usedBy: [['tickets', 'status_id']],
  guardDelete: (row) => {
    if (row.key !== null)
      throw new AppError(
        'status_system',
        409,
        `"${String(row.name)}" is a system status and cannot be deleted`,
      );
  },
};
export const presentStatus = (r: Row) => ({
  id: r.id,
  name: r.name,
  state: r.state,
  system: r.key !== null,
  key: r.key ?? null,
  pausesSla: r.pauses_sla === 1,
  sort: r.sort,
});

const Organization = z.strictObject({
  name: Name,
  domain: z.string().trim().toLowerCase().max(253).nullable().optional(),
  sharesTickets: z.boolean().optional(),
});
export const organizations: AdminTable = {
  name: 'organization',
  table: 'organizations',
  create: Organization,
  update: Organization.partial(),
  toRow: async (_trx, i: Partial<z.output<typeof Organization>>, now, current) =>
    defined({
      name: i.name,
      domain: i.domain,
      shares_tickets: flag(i.sharesTickets),
      created_at: current ? undefined : now,
    }),
  usedBy: [['customers', 'organization_id']],
};
export const presentOrganization = (r: Row) => ({
  id: r.id,
  name: r.name,
  domain: r.domain ?? null,
  sharesTickets: r.shares_tickets === 1,
});
