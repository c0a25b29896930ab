import { Alert, Button, Code, CopyButton, Group, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TemplateDefaultsOut } from '../../../../src/contract/mail.contract.ts';
import { api } from '../../ui/api.ts';
import { badge, flag, list, ref, text, when, Tag, words } from './columns.tsx';
import {
  issueText,
  type EditorProps,
  type Field,
  type FormValues,
  type ResourceSpec,
  type Row,
} from './model.ts';
import { departmentField } from './specs.directory.tsx';

// The email channel (mailboxes, templates), API keys and the log of refused
// requests: described for the generic resource page.

/** An IMAP field; a mailbox without IMAP yet starts from the defaults. */
const imap = (key: string, label: string, kind: Field['kind'], extra: Partial<Field> = {}): Field => ({
  key: `imap.${key}`,
  label,
  kind,
  group: 'Fetch over IMAP',
  from: (row) => (row.imap ? (row.imap as Row)[key] : extra.default),
  ...extra,
});

export const mailboxes: ResourceSpec = {
  path: 'mailboxes',
  section: 'mailboxes',
  title: 'Mailboxes',
  singular: 'mailbox',
  intro:
    'Addresses the desk receives mail on. Mail to a mailbox opens tickets in its department; with an IMAP server the desk fetches it.',
  fields: [
    { key: 'address', label: 'Address', kind: 'email', required: true },
    { key: 'name', label: 'Sender name', kind: 'text', required: true, placeholder: 'Acme Support' },
    departmentField,
    {
      key: 'helpTopic',
      label: 'Help topic',
      kind: 'ref',
      ref: 'help-topics',
      from: 'helpTopicId',
      nullable: true,
    },
    { key: 'isActive', label: 'Active', kind: 'bool', default: true },
    imap('host', 'IMAP server', 'text', {
      description: 'Empty: mail arrives over SMTP, the pipe or the API, and is not fetched',
      placeholder: 'imap.example.com',
    }),
    imap('port', 'IMAP port', 'number', { default: 993 }),
    imap('tls', 'TLS', 'bool', { default: true }),
    imap('user', 'IMAP user', 'text', { nullable: true }),
    imap('auth', 'Sign-in', 'select', {
      options: [
        { value: 'password', label: 'Password' },
        { value: 'oauth2', label: 'OAuth2 token' },
      ],
      default: 'password',
    }),
    imap('secret', 'Password or token', 'password', {
      description: 'Never shown again; leave empty to keep the stored one',
      from: () => '',
    }),
    imap('folder', 'Folder', 'text', { default: 'INBOX' }),
    imap('afterImport', 'After import', 'select', {
      options: [
        { value: 'none', label: 'Leave as is' },
        { value: 'flag', label: 'Mark as seen' },
        { value: 'move', label: 'Move to the archive folder' },
        { value: 'delete', label: 'Delete' },
      ],
      default: 'flag',
    }),
    imap('archiveFolder', 'Archive folder', 'text', { nullable: true }),
    imap('pollSeconds', 'Check every (seconds)', 'number', { default: 60 }),
  ],
  finish: (body) => {
    const i = body.imap as FormValues | undefined;
    // Without a server the mailbox is not polled at all (the API's null).
    return i && typeof i.host === 'string' && i.host.trim() ? body : { ...body, imap: null };
  },
  columns: [
    text('Address', 'address', true),
    text('Name', 'name'),
    ref('Department', 'departmentId', 'departments'),
    {
      label: 'Receives via',
      render: (row) => (
        <Text size="sm">{row.imap ? `IMAP ${String((row.imap as Row).host)}` : 'SMTP / pipe / API'}</Text>
      ),
    },
    flag('Status', 'isActive', 'Active', 'Off'),
    text('Last error', 'lastError'),
  ],
  remove: 'delete',
};

type Defaults = TemplateDefaultsOut;

/** The template kind, with the variables it may use and its built-in text to start from. */
function KindEditor(p: EditorProps) {
  const defaults = useQuery({
    queryKey: ['admin', 'mail-templates/defaults'],
    queryFn: () => api<Defaults>('GET', '/api/v1/mail-templates/defaults'),
  });
  const kind = (p.value as string | null) ?? null;
  const builtIn = defaults.data?.items.find((d) => d.kind === kind);
  return (
    <Stack gap={6}>
      <Select
        label={p.label}
        required
        data={(defaults.data?.items ?? []).map((d) => ({ value: d.kind, label: words(d.kind) }))}
        value={kind}
        onChange={p.onChange}
        error={issueText(p.issues)}
        searchable
      />
      {builtIn && (
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text size="xs" c="dimmed">
            Variables: {builtIn.variables.map((v) => `{{${v}}}`).join(' ')}
          </Text>
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => {
              p.set('subject', builtIn.subject);
              p.set('body', builtIn.body);
            }}
          >
            Use the built-in text
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export const mailTemplates: ResourceSpec = {
  path: 'mail-templates',
  section: 'mail-templates',
  title: 'Mail templates',
  singular: 'mail template',
  intro:
    'The wording of the mail the desk sends. Without a template the built-in text is used; a department or help topic may have its own.',
  fields: [
    {
      key: 'kind',
      label: 'Kind',
      kind: 'custom',
      editor: KindEditor,
      default: null,
      toApi: (v) => v ?? undefined,
    },
    { ...departmentField, label: 'Only for department' },
    {
      key: 'helpTopic',
      label: 'Only for help topic',
      kind: 'ref',
      ref: 'help-topics',
      from: 'helpTopicId',
      nullable: true,
      description: 'A department or a help topic, not both; neither: the whole desk',
    },
    { key: 'subject', label: 'Subject', kind: 'text', required: true },
    { key: 'body', label: 'Body', kind: 'textarea', required: true },
  ],
  columns: [
    badge('Kind', 'kind', {}),
    {
      label: 'Applies to',
      render: (row, refs) => (
        <Text size="sm">
          {row.departmentId
            ? `Department ${String(refs.get('departments')?.find((d) => d.id === row.departmentId)?.name ?? '')}`
            : row.helpTopicId
              ? `Topic ${String(refs.get('help-topics')?.find((d) => d.id === row.helpTopicId)?.name ?? '')}`
              : 'Whole desk'}
        </Text>
      ),
    },
    text('Subject', 'subject'),
  ],
  nameOf: (row) => `${String(row.kind).replace(/_/g, ' ')} template`,
  remove: 'delete',
};

const SCOPES = ['tickets:create', 'tickets:read', 'tickets:write', 'admin', 'cron'];
export const apiKeys: ResourceSpec = {
  path: 'api-keys',
  section: 'api-keys',
  title: 'API keys',
  singular: 'API key',
  intro:
    'Keys for integrations and scripts. A key is shown once when it is made; only its first characters are kept for you to recognise it.',
  fields: [
    { key: 'name', label: 'Name', kind: 'text', required: true, placeholder: 'Website contact form' },
    {
      key: 'agent',
      label: 'Acts as agent',
      kind: 'ref',
      ref: 'agents',
      description: 'With an agent the key has that agent’s access; without one it acts as the system',
    },
    {
      key: 'scopes',
      label: 'Scopes',
      kind: 'multi',
      options: SCOPES,
      toApi: (v) => (Array.isArray(v) && v.length > 0 ? v : undefined),
      description: 'Empty: tickets:create, read and write with an agent; every scope without one',
    },
    {
      key: 'cidrs',
      label: 'Allowed networks',
      kind: 'tags',
      placeholder: '10.0.0.0/8',
      description: 'Empty: from anywhere',
    },
  ],
  canEdit: false,
  remove: 'revoke',
  canRemove: (row) => !row.revokedAt,
  columns: [
    text('Name', 'name', true),
    { label: 'Key', render: (row) => <Code>{`${String(row.prefix)}…`}</Code> },
    text('Agent', 'agent'),
    list('Scopes', (row) => (row.scopes as string[]) ?? []),
    when('Last used', 'lastUsedAt'),
    {
      label: 'Status',
      render: (row) => (
        <Tag variant="light" color={row.revokedAt ? 'red' : 'teal'}>
          {row.revokedAt ? 'Revoked' : 'Active'}
        </Tag>
      ),
    },
  ],
  created: (result) => (
    <Stack>
      <Alert color="yellow" title="Copy the key now">
        This is the only time the key is shown. Store it where your integration reads its secrets.
      </Alert>
      <Group wrap="nowrap">
        <Code block aria-label="The new key" style={{ flex: 1, fontSize: 14 }}>
          {String(result.key)}
        </Code>
        <CopyButton value={String(result.key)}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  ),
};

export const rejections: ResourceSpec = {
  path: 'routing/rejections',
  section: 'rejections',
  title: 'Rejected requests',
  singular: 'rejection',
  intro:
    'Requests a routing rule refused (web, phone, API and email), newest first. Nothing was created for them.',
  fields: [],
  listQuery: '?limit=100',
  canCreate: false,
  canEdit: false,
  columns: [
    when('When', 'createdAt'),
    badge('Channel', 'channel', { email: 'blue', web: 'teal', phone: 'grape', api: 'orange' }),
    text('Requester', 'requester'),
    text('Subject', 'subject'),
    text('Rule', 'rule', true),
    text('Reason', 'reason'),
  ],
};
