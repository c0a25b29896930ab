import {
  Alert,
  Card,
  Group,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { AvailabilityValue } from '../../../src/contract/auth.contract.ts';
import { PageHeading } from '../ui/a11y.tsx';
import { api } from '../ui/api.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import type { Me } from './AgentApp.tsx';
import type { Field, Row } from './admin/model.ts';
import { SpecForm } from './admin/SpecForm.tsx';

// The signed-in agent's own settings: name and signature (PATCH /api/v1/me),
// availability, email alerts and password. Email, role and access are the admins'.

type Availability = AvailabilityValue;

const DETAILS: Field[] = [
  { key: 'name', label: 'Name', kind: 'text', required: true },
  {
    key: 'signature',
    label: 'Signature',
    kind: 'textarea',
    description: 'Added below your replies to customers',
    placeholder: 'Your name\nYour team, your company',
  },
];
const ALERTS: Field[] = [
  { key: 'newTicket', label: 'A new ticket arrives in my departments', kind: 'bool' },
  { key: 'assigned', label: 'A ticket is assigned to me', kind: 'bool' },
  { key: 'customerReplied', label: 'A customer replies on my ticket', kind: 'bool' },
  { key: 'slaWarning', label: 'An SLA target of my ticket is close or missed', kind: 'bool' },
];
const PASSWORD: Field[] = [
  { key: 'currentPassword', label: 'Current password', kind: 'password', required: true },
  {
    key: 'newPassword',
    label: 'New password',
    kind: 'password',
    required: true,
    description: 'At least 10 characters',
  },
];

function Section(p: { title: string; intro: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg" component="section" aria-label={p.title}>
      <Title order={3} size="h4">
        {p.title}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {p.intro}
      </Text>
      {p.children}
    </Card>
  );
}

function Saved({ when, text = 'Saved.' }: { when: number; text?: string }) {
  return when ? (
    <Alert color="teal" role="status" py={6}>
      {text}
    </Alert>
  ) : null;
}

export function ProfilePage({ me }: { me: Me }) {
  const own = me;
  const client = useQueryClient();
  const [saved, setSaved] = useState({ details: 0, alerts: 0, password: 0 });
  const mark = (k: keyof typeof saved) => setSaved((s) => ({ ...s, [k]: Date.now() }));
  const alerts = useQuery({
    queryKey: ['me', 'notifications'],
    queryFn: () => api<Row>('GET', '/api/v1/me/notifications'),
  });
  const availability = useMutation({
    mutationFn: (value: Availability) =>
      api<{ availability: Availability }>('PUT', '/api/v1/me/availability', { availability: value }),
    onSuccess: (r) => client.setQueryData(['me'], { ...own, availability: r.availability }),
  });
  return (
    <Stack maw={880} gap="lg">
      <div>
        <PageHeading documentTitle="Profile">Your profile</PageHeading>
        <Text c="dimmed" size="sm">
          Signed in as {own.email} · {own.role === 'admin' ? 'Admin' : 'Agent'}
        </Text>
      </div>
      <Section title="Availability" intro="Automatic assignment only gives new work to available agents.">
        <Group>
          <SegmentedControl
            aria-label="Availability"
            value={availability.variables ?? own.availability ?? 'available'}
            onChange={(v) => availability.mutate(v as Availability)}
            data={[
              { value: 'available', label: 'Available' },
              { value: 'away', label: 'Away' },
              { value: 'vacation', label: 'On vacation' },
            ]}
          />
          {availability.isSuccess && (
            <Text size="sm" c="teal" role="status">
              Saved
            </Text>
          )}
        </Group>
        <ErrorAlert error={availability.error} />
      </Section>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Section title="Your details" intro="How customers and colleagues see you.">
          <Stack gap="md">
            <TextInput
              label="Email"
              value={own.email ?? ''}
              readOnly
              description="Ask an admin to change your address"
              variant="filled"
            />
            <SpecForm
              fields={DETAILS}
              row={{ name: own.name, signature: own.signature ?? '' }}
              refs={new Map()}
              submitLabel="Save details"
              submit={(body) => api<Row>('PATCH', '/api/v1/me', body)}
              onDone={(result) => {
                client.setQueryData(['me'], result);
                mark('details');
              }}
            />
            <Saved when={saved.details} />
          </Stack>
        </Section>
        <Stack gap="lg">
          <Section title="Email alerts" intro="Which alerts you get by email.">
            <ErrorAlert error={alerts.error} />
            {alerts.data && (
              <SpecForm
                key={alerts.dataUpdatedAt}
                fields={ALERTS}
                row={alerts.data}
                refs={new Map()}
                submitLabel="Save alerts"
                submit={(body) => api<Row>('PUT', '/api/v1/me/notifications', body)}
                onDone={(result) => {
                  client.setQueryData(['me', 'notifications'], result);
                  mark('alerts');
                }}
              />
            )}
            <Saved when={saved.alerts} />
          </Section>
          <Section title="Password" intro="Changing it signs you out everywhere else.">
            <SpecForm
              fields={PASSWORD}
              row={null}
              refs={new Map()}
              submitLabel="Change password"
              resetOnDone
              submit={(body) => api<Row>('POST', '/api/v1/me/password', body)}
              onDone={() => mark('password')}
            />
            <Saved when={saved.password} text="Password changed." />
          </Section>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
