import {
  Alert,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { HelpTopicOut } from '../../../src/contract/directory.contract.ts';
import type { TicketOut } from '../../../src/contract/tickets.contract.ts';
import { PageHeading } from '../ui/a11y.tsx';
import { api } from '../ui/api.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import { formErrors } from '../ui/errorText.ts';
import { navigate } from '../ui/path.ts';
import { AttachmentPicker, toPayload, useFilePicker } from '../ui/attachments.tsx';
import { EmailInput, NameInput } from './fields.tsx';
import { useTitle, type Customer } from './session.ts';

// Help topic first (it decides department, priority and SLA), then the
// request. Help topics have no custom forms yet, so every topic asks the same
// fields. Without an account the server mails the acknowledgement (with the
// number) and a one-time sign-in link for this ticket; the page says so.

/** The form's fields and the API paths they are sent as. */
const FIELDS = {
  topic: 'helpTopic',
  name: 'requester.name',
  email: 'requester.email',
  subject: 'subject',
  body: 'body',
};

export function NewTicketForm({
  customer,
  onDone,
}: {
  customer: Customer | null;
  onDone: (number: string) => void;
}) {
  useTitle('Open a ticket');
  const topics = useQuery({
    queryKey: ['help-topics'],
    queryFn: () => api<{ items: HelpTopicOut[] }>('GET', '/api/v1/help-topics'),
  });
  const [topic, setTopic] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const picker = useFilePicker();
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api<TicketOut>('POST', '/api/v1/tickets', {
        subject,
        body,
        source: 'web',
        ...(topic ? { helpTopic: Number(topic) } : {}),
        requester: customer?.email ? { email: customer.email } : { email, name },
        ...(picker.files.length ? { attachments: toPayload(picker.files) } : {}),
      }),
    onSuccess: (t) => (customer ? onDone(t.number) : setCreated(t.number)),
  });
  if (created)
    return (
      <Alert color="green" title={`Ticket #${created} is open`} role="status" maw={640} mx="auto">
        <Text size="sm">
          We emailed the number and a sign-in link to {email}. Open the link to follow the ticket here, or
          simply reply to our email.
        </Text>
        <Button mt="sm" variant="light" onClick={() => onDone(created)}>
          Done
        </Button>
      </Alert>
    );
  const hasTopics = (topics.data?.items.length ?? 0) > 0;
  const ready = topic !== null || (topics.isSuccess && !hasTopics);
  const errors = formErrors(create.error, FIELDS);
  const complete = subject.trim() && body.trim() && (customer || (email.trim() && name.trim()));
  return (
    <Card withBorder maw={720} mx="auto">
      <Stack>
        <PageHeading size="h3">Open a ticket</PageHeading>
        <ErrorAlert error={topics.error} />
        <ErrorAlert text={errors.banner} />
        {hasTopics && (
          <Select
            label="Help topic"
            description="Choose what fits best: it sends your request to the right people."
            required
            placeholder="What is it about?"
            data={(topics.data?.items ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
            value={topic}
            onChange={setTopic}
            allowDeselect={false}
            error={errors.at.topic}
          />
        )}
        {ready && (
          <>
            {!customer && (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <NameInput value={name} onChange={setName} error={errors.at.name} />
                <EmailInput label="Your email" value={email} onChange={setEmail} error={errors.at.email} />
              </SimpleGrid>
            )}
            <TextInput
              label="Subject"
              required
              value={subject}
              onChange={(e) => setSubject(e.currentTarget.value)}
              error={errors.at.subject}
            />
            <Textarea
              label="Message"
              required
              minRows={5}
              autosize
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              error={errors.at.body}
            />
            <AttachmentPicker picker={picker} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => navigate('/')}>
                Cancel
              </Button>
              <Button disabled={!complete} loading={create.isPending} onClick={() => create.mutate()}>
                Submit
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
