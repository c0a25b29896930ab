import { Checkbox, Chip, Fieldset, Group, Stack, Text } from '@mantine/core';
import { badge, flag, list, person } from './columns.tsx';
import { issueText, refName, type EditorProps, type ResourceSpec, type Row } from './model.ts';
import type { Permission } from '../../../../src/contract/auth.contract.ts';
import type { AgentOut } from '../../../../src/contract/directory.contract.ts';

// Agents and their access. Agents are never deleted (tickets and history keep
// naming them): an admin deactivates them, which also signs them out.

const PERMISSIONS = [
  'view',
  'reply',
  'assign',
  'transfer',
  'close',
  'delete',
] as const satisfies Permission[];
/** One department's line: the shape AgentOut lists and PATCH /agents/:id takes back. */
type Access = { department: number; permissions: AgentOut['departments'][number]['permissions'] };

/** One line per department: access yes/no, then what the agent may do there. */
function AccessEditor(p: EditorProps) {
  const value = (p.value as Access[] | undefined) ?? [];
  const departments = p.refs.get('departments') ?? [];
  const set = (id: number, access: Access | null) =>
    p.onChange([...value.filter((a) => a.department !== id), ...(access ? [access] : [])]);
  const error = issueText(p.issues);
  return (
    <Fieldset legend={p.label} variant="filled">
      <Stack gap="xs">
        {departments.length === 0 && <Text c="dimmed">No departments yet.</Text>}
        {departments.map((d) => {
          const access = value.find((a) => a.department === d.id);
          return (
            <Group key={d.id} justify="space-between" wrap="nowrap" mih={28}>
              <Checkbox
                label={String(d.name)}
                checked={access !== undefined}
                onChange={(e) =>
                  set(
                    d.id,
                    e.currentTarget.checked ? { department: d.id, permissions: [...PERMISSIONS] } : null,
                  )
                }
              />
              {access && (
                <Chip.Group
                  multiple
                  value={access.permissions}
                  onChange={(permissions) => set(d.id, { department: d.id, permissions })}
                >
                  <Group gap={4} aria-label={`Permissions in ${String(d.name)}`} role="group">
                    {PERMISSIONS.map((perm) => (
                      <Chip key={perm} value={perm} size="xs" variant="light">
                        {perm}
                      </Chip>
                    ))}
                  </Group>
                </Chip.Group>
              )}
            </Group>
          );
        })}
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    </Fieldset>
  );
}

const accessOf = (row: Row) =>
  ((row.departments as { id: number; permissions: string[] }[] | undefined) ?? []).map((d) => ({
    department: d.id,
    permissions: d.permissions,
  }));

export const agents: ResourceSpec = {
  path: 'agents',
  section: 'agents',
  title: 'Agents',
  singular: 'agent',
  intro:
    'Staff who work tickets. Access is per department; admins manage the desk. Deactivate instead of deleting: history keeps their name.',
  fields: [
    { key: 'name', label: 'Name', kind: 'text', required: true },
    { key: 'email', label: 'Email', kind: 'email', required: true, on: 'create' },
    {
      key: 'password',
      label: 'Password',
      kind: 'password',
      required: true,
      on: 'create',
      description: 'At least 8 characters; they can change it in their profile',
    },
    {
      key: 'role',
      label: 'Role',
      kind: 'select',
      options: [
        { value: 'agent', label: 'Agent' },
        { value: 'admin', label: 'Admin (manages the desk)' },
      ],
      default: 'agent',
      required: true,
    },
    {
      key: 'departments',
      label: 'Department access',
      kind: 'custom',
      editor: AccessEditor,
      from: accessOf,
      default: [],
    },
    { key: 'teams', label: 'Teams', kind: 'refs', ref: 'teams', on: 'edit' },
    {
      key: 'manageCustomers',
      label: 'Manage customers',
      kind: 'bool',
      description:
        "Sees every customer and may change their organization and email address, which decides whose tickets they read in the portal. Give it only to staff trusted with every department's customers.",
    },
    {
      key: 'availability',
      label: 'Availability',
      kind: 'select',
      options: [
        { value: 'available', label: 'Available' },
        { value: 'away', label: 'Away' },
        { value: 'vacation', label: 'On vacation' },
      ],
      required: true,
      on: 'edit',
    },
    {
      key: 'maxOpenTickets',
      label: 'Most open tickets at once',
      kind: 'number',
      nullable: true,
      on: 'edit',
      description: 'Automatic assignment skips the agent above it; empty: no limit',
    },
    { key: 'isActive', label: 'Active (may sign in and get tickets)', kind: 'bool', on: 'edit' },
  ],
  columns: [
    person('Agent'),
    badge('Role', 'role', { admin: 'grape', agent: 'indigo' }),
    list('Departments', (row, refs) =>
      row.role === 'admin' && accessOf(row).length === 0
        ? ['All (admin)']
        : accessOf(row).map((a) => refName(refs, 'departments', a.department)),
    ),
    badge('Availability', 'availability', { available: 'teal', away: 'yellow', vacation: 'orange' }),
    flag('Status', 'isActive', 'Active', 'Inactive'),
  ],
  refs: ['departments', 'teams'],
};
