import { Alert, Button, Card, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../ui/api.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import type { Customer } from './PortalApp.tsx';

/** Help topic first (it decides department, priority and SLA), then the request. */
export function NewTicketForm({
  customer,
  onDone,
}: {
  customer: Customer | null;
  onDone: (number: string) => void;
}) {
  const topics = useQuery({
    queryKey: ['help-topics'],
    queryFn: () => api<{ items: { id: number; name: string }[] }>('GET', '/api/v1/help-topics'),
  });
  const [topic, setTopic] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api<{ number: string }>('POST', '/api/v1/tickets', {
        subject,
        body,
        source: 'web',
        helpTopic: Number(topic),
        requester: customer ? { email: customer.email } : { email, name },
      }),
    onSuccess: (t) => (customer ? onDone(t.number) : setCreated(t.number)),
  });
  if (created)
    return (
      <Alert color="green" title={`Ticket #${created} is open`} role="status">
        We sent the number to {email}. Reply to that email to add to it.
        <Button mt="sm" variant="light" onClick={() => onDone(created)}>
          Done
        </Button>
      </Alert>
    );
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>Open a ticket</Title>
        <ErrorAlert error={create.error} />
        <Select
          label="Help topic"
          required
          placeholder="What is it about?"
          data={(topics.data?.items ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
          value={topic}
          onChange={setTopic}
        />
        {topic && (
          <>
            {!customer && (
              <>
                <TextInput
                  label="Your name"
                  required
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                />
                <TextInput
                  label="Your email"
                  type="email"
                  required
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                />
              </>
            )}
            <TextInput
              label="Subject"
              required
              value={subject}
              onChange={(e) => setSubject(e.currentTarget.value)}
            />
            <Textarea
              label="Message"
              required
              minRows={5}
              autosize
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
            />
            <Button
              disabled={!subject.trim() || !body.trim() || (!customer && !email)}
              loading={create.isPending}
              onClick={() => create.mutate()}
            >
              Submit
            </Button>
          </>
        )}
      </Stack>
    </Card>
  );
}
