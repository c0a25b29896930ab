import { Alert, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../ui/api.ts';
import { ErrorAlert, ThreadCard } from '../ui/parts.tsx';

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
  if (ticket.isError) return <ErrorAlert error={ticket.error} />;
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
      <ErrorAlert error={act.error} />
      {t.thread
        .filter((i) => i.kind === 'message' || i.kind === 'reply')
        .map((i) => (
          <ThreadCard
            key={`${i.kind}-${i.id}`}
            kind={i.kind}
            author={i.author.name}
            at={i.createdAt}
            bg={i.kind === 'reply' ? 'blue.0' : 'white'}
          >
            {i.body}
          </ThreadCard>
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
