import { Button, Card, Checkbox, Divider, Group, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { HelpTopicOut, PriorityOut } from '../../../src/contract/directory.contract.ts';
import type { TicketOut } from '../../../src/contract/tickets.contract.ts';
import { PageHeading } from '../ui/a11y.tsx';
import { api } from '../ui/api.ts';
import { EMAIL_INPUT, ErrorAlert } from '../ui/parts.tsx';
import { formErrors } from '../ui/errorText.ts';
import { navigate } from '../ui/path.ts';
import { CallerSearch, PickedCaller, type CustomerRow } from './CallerSearch.tsx';

// A ticket for a caller (phone intake): the agent finds the customer by name
// or email, or enters a new one (created by the intake from the address); the
// help topic sets the defaults unless a priority is chosen here. Unticking the
// acknowledgement sends `autorespond: false`: no acknowledgement mail.

/** The form's fields and the API paths they are sent as. */
const FIELDS = {
  email: 'requester.email',
  name: 'requester.name',
  phone: 'requester.phone',
  topic: 'helpTopic',
  priority: 'priority',
  subject: 'subject',
  body: 'body',
};

export function PhoneIntake() {
  const topics = useQuery({
    queryKey: ['help-topics'],
    queryFn: () => api<{ items: HelpTopicOut[] }>('GET', '/api/v1/help-topics'),
  });
  const priorities = useQuery({
    queryKey: ['priorities'],
    queryFn: () => api<{ items: PriorityOut[] }>('GET', '/api/v1/priorities'),
  });
  const [f, setF] = useState({ email: '', name: '', phone: '', subject: '', body: '' });
  const [topic, setTopic] = useState<string | null>(null);
  const [priority, setPriority] = useState<string | null>(null);
  const [ack, setAck] = useState(true);
  const [caller, setCaller] = useState<CustomerRow | null>(null);
  const field = (k: keyof typeof f) => ({
    error: errors.at[k],
    value: f[k],
    onChange: (e: { currentTarget: { value: string } }) => setF({ ...f, [k]: e.currentTarget.value }),
  });
  const create = useMutation({
    mutationFn: () =>
      api<TicketOut>('POST', '/api/v1/tickets', {
        subject: f.subject,
        body: f.body,
        source: 'phone',
        requester: caller
          ? { email: caller.email }
          : {
              email: f.email,
              ...(f.name ? { name: f.name } : {}),
              ...(f.phone ? { phone: f.phone } : {}),
            },
        ...(topic ? { helpTopic: Number(topic) } : {}),
        ...(priority ? { priority: Number(priority) } : {}),
        autorespond: ack,
      }),
    onSuccess: (t) => navigate(`/agent/tickets/${t.number}`),
  });
  const errors = formErrors(create.error, FIELDS);
  return (
    <Card withBorder maw={720}>
      <Stack>
        <PageHeading documentTitle="New ticket">New ticket for a caller</PageHeading>
        <ErrorAlert text={errors.banner} />
        {caller ? (
          <PickedCaller caller={caller} onClear={() => setCaller(null)} />
        ) : (
          <>
            <CallerSearch onPick={setCaller} />
            <Divider label="or a new caller" labelPosition="left" />
            <Group grow>
              <TextInput label="Caller's email" {...EMAIL_INPUT} required {...field('email')} />
              <TextInput label="Caller's name" {...field('name')} />
              <TextInput label="Phone" {...field('phone')} />
            </Group>
          </>
        )}
        <Group grow>
          <Select
            label="Help topic"
            data={(topics.data?.items ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
            value={topic}
            onChange={setTopic}
            clearable
            error={errors.at.topic}
          />
          <Select
            label="Priority"
            placeholder="From the help topic"
            data={(priorities.data?.items ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
            value={priority}
            onChange={setPriority}
            clearable
            error={errors.at.priority}
          />
        </Group>
        <TextInput label="Subject" required {...field('subject')} />
        <Textarea label="What the caller said" required minRows={4} autosize {...field('body')} />
        <Checkbox
          label="Send the caller an acknowledgement email"
          checked={ack}
          onChange={(e) => setAck(e.currentTarget.checked)}
        />
        <Group justify="flex-end">
          <Button
            loading={create.isPending}
            disabled={(!caller && !f.email) || !f.subject.trim() || !f.body.trim()}
            onClick={() => create.mutate()}
          >
            Create ticket
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
