import type { Db } from '../db/database.ts';
import { hashPassword } from '../modules/auth/auth.passwords.ts';
import { PERMISSIONS } from '../contract/auth.contract.ts';
import * as rows from './demo.repository.ts';

// The demo desk described in DESIGN.md: who and what exists before any ticket.

export const DEMO_LOGINS = [
  { role: 'admin', email: 'admin@deskline.local', password: 'deskline-admin', name: 'Deskline Admin' },
  { role: 'agent', email: 'jane@deskline.local', password: 'deskline-agent', name: 'Jane Doe' },
  { role: 'agent', email: 'jerry@deskline.local', password: 'deskline-agent', name: 'Jerry Roe' },
  { role: 'customer', email: 'karen@example.com', password: 'deskline-customer', name: 'Karen Smith' },
] as const;

export const SYSTEM_STATUSES = [
  { name: 'Open', state: 'open', key: 'open', pauses_sla: 0, sort: 1 },
  { name: 'In progress', state: 'open', key: 'in_progress', pauses_sla: 0, sort: 2 },
  { name: 'Awaiting customer', state: 'pending', key: 'awaiting_customer', pauses_sla: 1, sort: 3 },
  { name: 'Resolved', state: 'resolved', key: 'resolved', pauses_sla: 1, sort: 4 },
  { name: 'Closed', state: 'closed', key: 'closed', pauses_sla: 1, sort: 5 },
] as const;

export const PRIORITIES = [
  { name: 'Low', level: 1, color: '#64748b', is_default: 0 },
  { name: 'Normal', level: 2, color: '#2563eb', is_default: 1 },
  { name: 'High', level: 3, color: '#ea580c', is_default: 0 },
  { name: 'Emergency', level: 4, color: '#dc2626', is_default: 0 },
] as const;

const STANDARD_TARGETS = {
  '1': { firstResponse: 1440, resolution: 7200 },
  '2': { firstResponse: 480, resolution: 2880 },
  '3': { firstResponse: 120, resolution: 1440 },
  '4': { firstResponse: 30, resolution: 480 },
};
const OUTAGE_TARGETS = {
  '3': { firstResponse: 30, resolution: 480 },
  '4': { firstResponse: 15, resolution: 240 },
};

/** The statuses and priorities every desk needs, demo or not. Idempotent. */
export async function ensureSystemRows(db: Db): Promise<void> {
  await rows.insertStatuses(db, [...SYSTEM_STATUSES]);
  await rows.insertPriorities(db, [...PRIORITIES]);
}

/** Inserts the demo departments, people, topics and plans; rows that exist are left alone. */
export async function seedDemoReference(db: Db, now: number): Promise<void> {
  await ensureSystemRows(db);
  await rows.insertSlaPlans(db, [
    { name: 'Standard', targets: JSON.stringify(STANDARD_TARGETS), calendar: null, created_at: now },
    { name: 'Critical Outage', targets: JSON.stringify(OUTAGE_TARGETS), calendar: null, created_at: now },
  ]);
  const standard = await rows.idOf(db, 'sla_plans', 'Standard');
  await rows.insertDepartments(db, [
    {
      name: 'Support',
      email: 'support@deskline.local',
      sla_plan_id: standard,
      auto_close_days: 7,
      created_at: now,
    },
    {
      name: 'Billing',
      email: 'billing@deskline.local',
      sla_plan_id: standard,
      auto_close_days: 7,
      created_at: now,
    },
    {
      name: 'SysAdmin',
      email: 'sysadmin@deskline.local',
      sla_plan_id: standard,
      auto_close_days: 14,
      created_at: now,
    },
  ]);
  // One inbound mailbox per department: mail to it opens tickets there, and replies come from it.
  for (const [address, department] of [
    ['support@deskline.local', 'Support'],
    ['billing@deskline.local', 'Billing'],
    ['sysadmin@deskline.local', 'SysAdmin'],
  ] as const) {
    await rows.insertMailbox(db, {
      address,
      name: `Deskline ${department}`,
      department_id: await rows.idOf(db, 'departments', department),
      created_at: now,
    });
  }
  await rows.insertOrganization(db, {
    name: 'Example Corp',
    domain: 'example.com',
    shares_tickets: 0,
    created_at: now,
  });
  await seedPeople(db, now);
  await seedTopics(db, now);
}

async function seedPeople(db: Db, now: number): Promise<void> {
  for (const login of DEMO_LOGINS) {
    const password_hash = await hashPassword(login.password);
    if (login.role === 'customer') {
      await rows.insertCustomer(db, {
        email: login.email,
        name: login.name,
        phone: '+1 555 0100',
        organization_id: await rows.idOf(db, 'organizations', 'Example Corp'),
        password_hash,
        created_at: now,
        updated_at: now,
      });
      continue;
    }
    await rows.insertAgent(db, {
      email: login.email,
      name: login.name,
      password_hash,
      role: login.role,
      max_open_tickets: null,
      created_at: now,
      updated_at: now,
    });
  }
  const jane = await rows.idOf(db, 'agents', 'jane@deskline.local');
  const jerry = await rows.idOf(db, 'agents', 'jerry@deskline.local');
  const all = PERMISSIONS.join(',');
  await rows.grantDepartments(db, [
    { agent_id: jane, department_id: await rows.idOf(db, 'departments', 'Support'), permissions: all },
    { agent_id: jerry, department_id: await rows.idOf(db, 'departments', 'SysAdmin'), permissions: all },
  ]);
  await rows.setDepartment(db, 'Support', { manager_id: jane });
  await rows.setDepartment(db, 'SysAdmin', { manager_id: jerry });
  await rows.insertTeams(db, [
    { name: 'SysAdmin', lead_id: jerry, created_at: now },
    { name: 'Level 1 Support', lead_id: jane, created_at: now },
  ]);
  await rows.addTeamMembers(db, [
    { team_id: await rows.idOf(db, 'teams', 'SysAdmin'), agent_id: jerry },
    { team_id: await rows.idOf(db, 'teams', 'Level 1 Support'), agent_id: jane },
  ]);
}

async function seedTopics(db: Db, now: number): Promise<void> {
  const dept = (name: string) => rows.idOf(db, 'departments', name);
  const prio = (name: string) => rows.idOf(db, 'priorities', name);
  const outageSla = await rows.idOf(db, 'sla_plans', 'Critical Outage');
  const topics = [
    {
      name: 'General Inquiry',
      department_id: await dept('Support'),
      priority_id: await prio('Normal'),
      sla_plan_id: null,
      created_at: now,
    },
    {
      name: 'Report a Problem',
      department_id: await dept('Support'),
      priority_id: await prio('High'),
      sla_plan_id: null,
      created_at: now,
    },
    {
      name: 'Billing Question',
      department_id: await dept('Billing'),
      priority_id: await prio('Normal'),
      sla_plan_id: null,
      created_at: now,
    },
    {
      name: 'Business Critical Outage',
      department_id: await dept('Support'),
      priority_id: await prio('Emergency'),
      sla_plan_id: outageSla,
      created_at: now,
    },
    {
      name: 'Feature Request',
      department_id: await dept('Support'),
      priority_id: await prio('Low'),
      sla_plan_id: null,
      created_at: now,
    },
  ];
  await rows.insertHelpTopics(db, topics);
}
