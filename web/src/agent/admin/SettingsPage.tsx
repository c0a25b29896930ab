import { Alert, Card, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeading } from '../../ui/a11y.tsx';
import { api } from '../../ui/api.ts';
import { ErrorAlert } from '../../ui/parts.tsx';
import { TIME_ZONES, type Field, type Row } from './model.ts';
import { useRefs } from './ResourcePage.tsx';
import { SpecForm } from './SpecForm.tsx';

// Desk-wide settings (GET and PUT /api/v1/settings/<key>, every field at
// once), described with the same field descriptions as the resources.

export interface SettingsSpec {
  key: string;
  section: string;
  title: string;
  intro: string;
  fields: Field[];
  /** Resources the fields' editors choose from (e.g. departments). */
  refs?: string[];
}

const days = (key: string, label: string, description: string, nullable = true): Field => ({
  key,
  label,
  kind: 'number',
  nullable,
  required: !nullable,
  description,
});

export const automation: SettingsSpec = {
  key: 'automation',
  section: 'automation',
  title: 'Automation',
  intro:
    'The desk’s clock: routing rules read times of day in this zone; the scheduler checks SLAs, auto-close and waiting work this often.',
  fields: [
    {
      key: 'timezone',
      label: 'Time zone',
      kind: 'select',
      options: TIME_ZONES,
      required: true,
    },
    {
      key: 'schedulerSeconds',
      label: 'Scheduler interval (seconds)',
      kind: 'number',
      required: true,
      description: '5 to 3600',
    },
  ],
};

export const lifecycle: SettingsSpec = {
  key: 'lifecycle',
  section: 'lifecycle',
  title: 'Ticket lifecycle',
  intro: 'What happens to tickets over time when nobody acts on them.',
  fields: [
    days(
      'reopenWindowDays',
      'Customers may reopen a closed ticket for (days)',
      'Later replies open a new ticket',
      false,
    ),
    days(
      'reminderDays',
      'Remind the customer after waiting (days)',
      'One reminder on a ticket awaiting the customer; empty: never',
    ),
    days(
      'autoCloseDays',
      'Close resolved tickets after (days)',
      'Empty: never; a department may set its own',
    ),
  ],
};

const alert = (key: string, label: string): Field => ({
  key: `alerts.${key}`,
  label,
  kind: 'bool',
  group: 'Agent alerts (each agent may turn theirs off)',
});
export const mail: SettingsSpec = {
  key: 'mail',
  section: 'mail-settings',
  title: 'Email settings',
  intro: 'How the desk sends and accepts mail. Mailboxes and templates have their own pages.',
  fields: [
    {
      key: 'fromAddress',
      label: 'Sender address',
      kind: 'email',
      required: true,
      description: 'For departments without a mailbox',
    },
    { key: 'fromName', label: 'Sender name', kind: 'text', required: true },
    {
      key: 'agentEmailAs',
      label: 'An agent answering a notification by email posts',
      kind: 'select',
      options: [
        { value: 'reply', label: 'a reply to the customer' },
        { value: 'note', label: 'an internal note' },
      ],
      required: true,
    },
    {
      key: 'ccAsCollaborators',
      label: 'Addresses copied on a new ticket become collaborators',
      kind: 'bool',
    },
    { key: 'maxMessageBytes', label: 'Largest message (bytes)', kind: 'number', required: true },
    {
      key: 'autoRepliesPerHour',
      label: 'Automatic answers to one address’s emails per hour',
      kind: 'number',
      required: true,
      description:
        'Loop safety against mail robots; 0 turns them off for email. Tickets opened in the portal, by phone or through the API are always acknowledged.',
    },
    {
      key: 'smtpPerIpPerMinute',
      label: 'Messages per minute from one SMTP client',
      kind: 'number',
      required: true,
      description: '0: no limit',
    },
    {
      key: 'banned',
      label: 'Refused senders',
      kind: 'tags',
      placeholder: 'spam@example.com or example.com',
      description: 'Full addresses or domains',
    },
    alert('newTicket', 'Alert agents about new tickets'),
    alert('assigned', 'Alert an agent when a ticket is assigned to them'),
    alert('customerReplied', 'Alert the assignee when the customer replies'),
    alert('slaWarning', 'Alert about SLA warnings and breaches'),
  ],
};

export function SettingsPage({ spec }: { spec: SettingsSpec }) {
  const client = useQueryClient();
  const url = `/api/v1/settings/${spec.key}`;
  const current = useQuery({
    queryKey: ['admin', `settings/${spec.key}`],
    queryFn: () => api<Row>('GET', url),
  });
  const [saved, setSaved] = useState(false);
  const refs = useRefs(spec.refs ?? []);
  return (
    <Stack gap="md" maw={640}>
      <div>
        <PageHeading documentTitle={`${spec.title} · Admin`}>{spec.title}</PageHeading>
        <Text c="dimmed" size="sm">
          {spec.intro}
        </Text>
      </div>
      <ErrorAlert error={current.error} />
      {saved && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setSaved(false)}>
          Saved.
        </Alert>
      )}
      {current.data && (
        <Card withBorder padding="lg">
          <SpecForm
            key={current.dataUpdatedAt}
            fields={spec.fields}
            row={current.data}
            refs={refs}
            submitLabel="Save settings"
            submit={(body) => {
              setSaved(false);
              return api<Row>('PUT', url, body);
            }}
            onDone={(result) => {
              client.setQueryData(['admin', `settings/${spec.key}`], result);
              setSaved(true);
            }}
          />
        </Card>
      )}
    </Stack>
  );
}
