import {} from '@mantine/core';
import { badge, flag, list, ref, swatch, text, Tag } from './columns.tsx';
import { refName, type Field, type ResourceSpec, type Row } from './model.ts';

// The desk's structure: departments, teams, help topics, priorities,
// statuses and organizations (all served by the generic directory CRUD).

const AUTO_ASSIGN: Field = {
  key: 'autoAssign',
  label: 'Automatic assignment',
  kind: 'select',
  options: [
    { value: 'off', label: 'Off (agents pick tickets)' },
    { value: 'round_robin', label: 'Round robin' },
    { value: 'least_loaded', label: 'Least loaded agent' },
  ],
  default: 'off',
  required: true,
};
const ASSIGN_COLORS = { off: 'gray', round_robin: 'indigo', least_loaded: 'violet' };
const name: Field = { key: 'name', label: 'Name', kind: 'text', required: true };
/** An optional department (help topics, mailboxes, mail templates). */
export const departmentField: Field = {
  key: 'department',
  label: 'Department',
  kind: 'ref',
  ref: 'departments',
  from: 'departmentId',
  nullable: true,
};

export const departments: ResourceSpec = {
  path: 'departments',
  section: 'departments',
  title: 'Departments',
  singular: 'department',
  intro:
    'Where tickets live. Agents get access per department; queues, SLA defaults and automatic assignment follow it.',
  fields: [
    name,
    {
      key: 'email',
      label: 'Email address',
      kind: 'email',
      nullable: true,
      description: 'Replies go out from it',
    },
    { key: 'manager', label: 'Manager', kind: 'ref', ref: 'agents', from: 'managerId', nullable: true },
    { key: 'slaPlan', label: 'SLA plan', kind: 'ref', ref: 'sla-plans', from: 'slaPlanId', nullable: true },
    AUTO_ASSIGN,
    {
      key: 'autoCloseDays',
      label: 'Close resolved tickets after (days)',
      kind: 'number',
      nullable: true,
      description: 'Empty: the desk-wide lifecycle setting applies',
    },
  ],
  columns: [
    text('Name', 'name', true),
    text('Email', 'email'),
    ref('Manager', 'managerId', 'agents'),
    ref('SLA plan', 'slaPlanId', 'sla-plans'),
    badge('Assignment', 'autoAssign', ASSIGN_COLORS),
  ],
  remove: 'delete',
};

const memberNames = (row: Row) => ((row.members as { name: string }[] | undefined) ?? []).map((m) => m.name);
export const teams: ResourceSpec = {
  path: 'teams',
  section: 'teams',
  title: 'Teams',
  singular: 'team',
  intro:
    'Groups of agents across departments. A ticket can be given to a team; its lead hears about escalations.',
  fields: [
    name,
    { key: 'lead', label: 'Team lead', kind: 'ref', ref: 'agents', from: 'leadId', nullable: true },
    {
      key: 'members',
      label: 'Members',
      kind: 'refs',
      ref: 'agents',
      from: (row) => ((row.members as { id: number }[] | undefined) ?? []).map((m) => m.id),
    },
    AUTO_ASSIGN,
  ],
  columns: [
    text('Name', 'name', true),
    ref('Lead', 'leadId', 'agents'),
    list('Members', memberNames),
    badge('Assignment', 'autoAssign', ASSIGN_COLORS),
  ],
  remove: 'delete',
};

export const helpTopics: ResourceSpec = {
  path: 'help-topics',
  section: 'help-topics',
  title: 'Help topics',
  singular: 'help topic',
  intro: 'What a customer picks when opening a ticket. Each topic sets the defaults a new ticket gets.',
  fields: [
    name,
    departmentField,
    {
      key: 'priority',
      label: 'Default priority',
      kind: 'ref',
      ref: 'priorities',
      from: 'priorityId',
      nullable: true,
    },
    { key: 'slaPlan', label: 'SLA plan', kind: 'ref', ref: 'sla-plans', from: 'slaPlanId', nullable: true },
    { key: 'team', label: 'Team', kind: 'ref', ref: 'teams', from: 'teamId', nullable: true },
    {
      key: 'autoResponse',
      label: 'Send the acknowledgement email',
      kind: 'bool',
      default: true,
    },
    {
      key: 'isPublic',
      label: 'Shown in the customer portal',
      kind: 'bool',
      default: true,
      description: 'Internal topics are for agents only',
    },
  ],
  columns: [
    text('Name', 'name', true),
    ref('Department', 'departmentId', 'departments'),
    {
      label: 'Priority',
      render: (row, refs) => {
        const p = refs.get('priorities')?.find((x) => x.id === row.priorityId);
        return p ? (
          <Tag color={String(p.color)} variant="dot">
            {String(p.name)}
          </Tag>
        ) : (
          refName(refs, 'priorities', row.priorityId)
        );
      },
    },
    ref('SLA plan', 'slaPlanId', 'sla-plans'),
    ref('Team', 'teamId', 'teams'),
    flag('Acknowledge', 'autoResponse', 'Yes', 'No'),
    flag('Visibility', 'isPublic', 'Public', 'Internal', 'blue'),
  ],
  refs: ['priorities'],
  remove: 'delete',
};

export const priorities: ResourceSpec = {
  path: 'priorities',
  section: 'priorities',
  title: 'Priorities',
  singular: 'priority',
  intro: 'The priority ladder. Higher levels are more urgent; SLA targets are set per level.',
  fields: [
    name,
    {
      key: 'level',
      label: 'Level',
      kind: 'number',
      required: true,
      description: '0–100; higher is more urgent',
    },
    { key: 'color', label: 'Colour', kind: 'color', required: true, default: '#228be6' },
    { key: 'isDefault', label: 'Default for new tickets', kind: 'bool' },
  ],
  columns: [
    {
      label: 'Name',
      render: (row) => (
        <Tag color={String(row.color)} variant="dot" size="lg" tt="none">
          {String(row.name)}
        </Tag>
      ),
    },
    text('Level', 'level'),
    swatch('Colour', 'color'),
    flag('Default', 'isDefault', 'Default', '—', 'indigo'),
  ],
  remove: 'delete',
};

export const statuses: ResourceSpec = {
  path: 'statuses',
  section: 'statuses',
  title: 'Statuses',
  singular: 'status',
  intro:
    'What agents see as a ticket’s status. Each maps to a state (open, pending, resolved, closed) that the desk acts on.',
  fields: [
    name,
    {
      key: 'state',
      label: 'State',
      kind: 'select',
      options: ['open', 'pending', 'resolved', 'closed'],
      required: true,
      default: 'open',
      on: 'create',
      description: 'Fixed once created: tickets in this status rely on it',
    },
    { key: 'pausesSla', label: 'Pauses the SLA clock', kind: 'bool' },
    { key: 'sort', label: 'Order', kind: 'number' },
  ],
  columns: [
    text('Name', 'name', true),
    badge('State', 'state', { open: 'blue', pending: 'yellow', resolved: 'teal', closed: 'gray' }),
    flag('Pauses SLA', 'pausesSla', 'Pauses', '—', 'yellow'),
    flag('Kind', 'system', 'System', 'Custom', 'gray'),
    text('Order', 'sort'),
  ],
  remove: 'delete',
  canRemove: (row) => row.system !== true,
};

export const organizations: ResourceSpec = {
  path: 'organizations',
  section: 'organizations',
  title: 'Organizations',
  singular: 'organization',
  intro:
    'Customers’ companies. Customers whose address matches the domain join it; shared tickets are visible to colleagues.',
  fields: [
    name,
    { key: 'domain', label: 'Email domain', kind: 'text', nullable: true, placeholder: 'example.com' },
    { key: 'sharesTickets', label: 'Members see each other’s tickets', kind: 'bool' },
  ],
  columns: [
    text('Name', 'name', true),
    text('Domain', 'domain'),
    flag('Shared tickets', 'sharesTickets', 'Shared', 'Private', 'blue'),
  ],
  remove: 'delete',
};
