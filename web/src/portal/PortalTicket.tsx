import { Alert, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../ui/api.ts';

interface Item {
  id: number;
  kind: 'message' | 'reply' | 'note' | 'event';
  body: string;
  author: { name: string };
  createdAt: string;
}
interface PublicTicket {
  number: string;
  subject: string;
  status: string;
  state: string;
  thread: Item[];
}

/** The public view: messages and replies (no notes, no internal events), reply, confirm or reopen. */
export function PortalTicket({ number }: { number: string }) {
  const client = useQueryClient();
  const key = ['portal-ticket', number];
  const ticket = useQuery({
    queryKey: key,
    queryFn: () => api<PublicTicket>('GET', `/api/v1/tickets/${number}`),
  });
  const [body, setBody] = useState('');
  const act = useMutation({
    mutationFn: ([path, payload]: [string, unknown]) =>
      api('POST', `/api/v1/tickets/${number}/${path}`, payload),
    onSuccess: () => {
      setBody('');
      void client.invalidateQueries({ queryKey: key });
    },
  });
  if (ticket.isPending) return <Text>Loading…</Text>;
  if (ticket.isError)
    return (
      <Alert color="red">
        {ticket.error instanceof ApiError ? ticket.error.message : 'Could not load the ticket'}
      </Alert>
    );
  const t = ticket.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>
          #{t.number} {t.subject}
        </Title>
        <Badge aria-label="Status">{t.status}</Badge>
      </Group>
      {t.state === 'resolved' && (
        <Alert color="green" title="We think this is solved">
          <Group mt="xs">
            <Button color="green" onClick={() => act.mutate(['confirm', {}])}>
              This solved my problem
            </Button>
            <Button variant="default" onClick={() => act.mutate(['reopen', {}])}>
              It is not solved
            </Button>
          </Group>
        </Alert>
      )}
      {act.error && (
        <Alert color="red">{act.error instanceof ApiError ? act.error.message : String(act.error)}</Alert>
      )}
      {t.thread
        .filter((i) => i.kind === 'message' || i.kind === 'reply')
        .map((i) => (
          <Card
            key={`${i.kind}-${i.id}`}
            withBorder
            bg={i.kind === 'reply' ? 'blue.0' : 'white'}
            data-kind={i.kind}
          >
            <Group justify="space-between">
              <Text fw={600} size="sm">
                {i.author.name}
              </Text>
              <Text size="xs" c="dimmed">
                {new Date(i.createdAt).toLocaleString()}
              </Text>
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {i.body}
            </Text>
          </Card>
        ))}
      {t.state !== 'closed' && (
        <Card withBorder>
          <Stack>
            <Textarea
              label="Your reply"
              minRows={3}
              autosize
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button disabled={!body.trim()} onClick={() => act.mutate(['replies', { body }])}>
                Send
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
