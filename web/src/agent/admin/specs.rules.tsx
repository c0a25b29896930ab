import {
  Alert,
  Button,
  Fieldset,
  Group,
  List,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../../ui/api.ts';
import { ErrorAlert } from '../../ui/parts.tsx';
import { ACTION_REFS, actionDrafts, actionsOf, ActionsEditor } from './ActionsEditor.tsx';
import { text, flag, Tag, words } from './columns.tsx';
import { conditionDrafts, conditionsOf, ConditionsEditor } from './ConditionsEditor.tsx';
import type { RoutingPreviewOut } from '../../../../src/contract/routing.contract.ts';
import { refName, type EditorProps, type Issue, type ResourceSpec } from './model.ts';

// Routing rules: a readable editor for conditions and actions, and a preview
// that runs the draft on a sample ticket (POST /api/v1/routing/preview; nothing is written).

type Outcome = RoutingPreviewOut;
const OUTCOME_REFS: [keyof Outcome, string, string][] = [
  ['departmentId', 'Department', 'departments'],
  ['helpTopicId', 'Help topic', 'help-topics'],
  ['priorityId', 'Priority', 'priorities'],
  ['slaPlanId', 'SLA plan', 'sla-plans'],
  ['teamId', 'Team', 'teams'],
  ['agentId', 'Agent', 'agents'],
  ['statusId', 'Status', 'statuses'],
];

function Preview(p: EditorProps) {
  const [sample, setSample] = useState({
    channel: 'email',
    from: 'someone@example.com',
    subject: '',
    body: '',
  });
  const run = useMutation({
    mutationFn: () =>
      api<Outcome>('POST', '/api/v1/routing/preview', {
        ticket: sample,
        rule: {
          name: String(p.form.name || 'Draft'),
          match: p.form.match ?? 'all',
          conditions: conditionsOf(p.form.conditions),
          actions: actionsOf(p.form.actions),
        },
      }),
  });
  const o = run.data;
  // The draft is the only rule the preview runs: its conditions, in the editor's numbering.
  const held = o?.rules[0]?.conditions ?? [];
  const failing = held.flatMap((h, i) => (h ? [] : [i + 1]));
  const details =
    run.error instanceof ApiError && Array.isArray(run.error.details) ? (run.error.details as Issue[]) : [];
  const field = (k: keyof typeof sample) => ({
    value: sample[k],
    onChange: (e: { currentTarget: { value: string } }) =>
      setSample({ ...sample, [k]: e.currentTarget.value }),
  });
  return (
    <Fieldset legend="Try it on a sample ticket" variant="filled">
      <Stack gap="xs">
        <Group grow gap="xs">
          <Select
            label="Channel"
            size="xs"
            data={['email', 'web', 'phone', 'api', 'other']}
            value={sample.channel}
            onChange={(channel) => setSample({ ...sample, channel: channel ?? 'email' })}
            allowDeselect={false}
          />
          <TextInput label="From" size="xs" {...field('from')} />
        </Group>
        <TextInput label="Sample subject" size="xs" {...field('subject')} />
        <Textarea label="Sample message" size="xs" autosize minRows={2} {...field('body')} />
        <Group>
          <Button size="compact-sm" variant="light" onClick={() => run.mutate()} loading={run.isPending}>
            Preview
          </Button>
        </Group>
        {details.length > 0 ? (
          <Alert color="red" role="alert">
            {details.map((d) => `${d.path.replace(/^rule\./, '')}: ${d.message}`).join('; ')}
          </Alert>
        ) : (
          <ErrorAlert error={run.error} />
        )}
        {o && (
          <section aria-label="Preview result" aria-live="polite">
            <Alert
              color={o.matched.length ? 'teal' : 'gray'}
              title={
                o.matched.length
                  ? 'The rule matches'
                  : failing.length
                    ? `No match: condition ${failing.join(', ')} ${failing.length > 1 ? 'do' : 'does'} not hold`
                    : 'No match'
              }
            >
              {held.length > 0 && (
                <List size="sm" aria-label="Conditions">
                  {held.map((h, i) => (
                    <List.Item key={i}>{`Condition ${i + 1} ${h ? 'holds' : 'does not hold'}`}</List.Item>
                  ))}
                </List>
              )}
              {o.matched.length > 0 && (
                <List size="sm">
                  {OUTCOME_REFS.filter(([k]) => o[k] !== undefined).map(([k, label, path]) => (
                    <List.Item key={k}>
                      {label}: {refName(p.refs, path, o[k])}
                    </List.Item>
                  ))}
                  {o.tags.length > 0 && <List.Item>Tags: {o.tags.join(', ')}</List.Item>}
                  {o.collaborators.length > 0 && (
                    <List.Item>Copied in: {o.collaborators.join(', ')}</List.Item>
                  )}
                  {o.replies.length > 0 && <List.Item>Sends {o.replies.length} automatic reply</List.Item>}
                  {o.rejected && <List.Item>Rejected: {o.rejected.reason}</List.Item>}
                </List>
              )}
              {o.errors.length > 0 && (
                <Text size="sm">Some conditions could not be evaluated (regex timeout).</Text>
              )}
            </Alert>
          </section>
        )}
      </Stack>
    </Fieldset>
  );
}

export const routingRules: ResourceSpec = {
  path: 'routing-rules',
  section: 'routing-rules',
  title: 'Routing rules',
  singular: 'routing rule',
  intro:
    'Rules run on every new ticket in order: when the conditions hold, the actions set its department, priority, team and more.',
  fields: [
    { key: 'name', label: 'Name', kind: 'text', required: true },
    { key: 'isActive', label: 'Active', kind: 'bool', default: true },
    {
      key: 'match',
      label: 'Applies when',
      kind: 'select',
      options: [
        { value: 'all', label: 'all conditions hold' },
        { value: 'any', label: 'any condition holds' },
      ],
      default: 'all',
      required: true,
    },
    {
      key: 'conditions',
      label: 'Conditions',
      kind: 'custom',
      editor: ConditionsEditor,
      from: (r) => conditionDrafts(r.conditions),
      default: [],
      toApi: conditionsOf,
    },
    {
      key: 'actions',
      label: 'Actions',
      kind: 'custom',
      editor: ActionsEditor,
      from: (r) => actionDrafts(r.actions),
      default: [],
      toApi: actionsOf,
    },
    { key: 'onReply', label: 'Also run on customer replies', kind: 'bool' },
    { key: 'sort', label: 'Order', kind: 'number', description: 'Lower runs first', default: 100 },
    { key: 'preview', label: 'Preview', kind: 'custom', editor: Preview, virtual: true },
  ],
  refs: [...ACTION_REFS, 'help-topics', 'organizations', 'priorities'],
  columns: [
    text('Order', 'sort'),
    text('Name', 'name', true),
    {
      label: 'When',
      render: (row) => (
        <Text size="sm">
          {(row.conditions as unknown[]).length === 0
            ? 'Always'
            : `${(row.conditions as unknown[]).length} condition(s), ${row.match === 'all' ? 'all' : 'any'}`}
        </Text>
      ),
    },
    {
      label: 'Actions',
      render: (row) => (
        <Group gap={4}>
          {(row.actions as { type: string }[]).map((a, i) => (
            <Tag key={i} variant="outline" color="gray" tt="none" fw={500}>
              {words(a.type)}
            </Tag>
          ))}
        </Group>
      ),
    },
    flag('Status', 'isActive', 'Active', 'Off'),
  ],
  remove: 'delete',
};
