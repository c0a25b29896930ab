import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../ui/api.ts';
import { ErrorAlert, ThreadCard } from '../../ui/parts.tsx';
import { navigate } from '../../ui/path.ts';
import type { Me } from '../AgentApp.tsx';

// WIP (issue 6): header, thread and composer. Attachments, transfer, SLA
// times, collision indicator and live updates come next.

interface ThreadItem {
  id: number;
  kind: 'message' | 'reply' | 'note' | 'event';
  type?: string;
  body: string;
  author: { name: string; type: string };
  createdAt: string;
}
interface TicketDetail {
  number: string;
  subject: string;
  status: string;
  state: string;
  priority: string;
  department: string;
  assignee: { id: number | null; name: string } | null;
  requester: { name: string; email: string | null };
  thread: ThreadItem[];
}

const KIND_STYLE: Record<ThreadItem['kind'], { bg: string; label: string }> = {
  message: { bg: 'white', label: 'Customer' },
  reply: { bg: 'blue.0', label: 'Reply' },
  note: { bg: 'yellow.0', label: 'Internal note' },
  event: { bg: 'gray.0', label: 'Event' },
};

export function TicketView({ me, number }: { me: Me; number: string }) {
  const client = useQueryClient();
  const key = ['ticket', number];
  const ticket = useQuery({
    queryKey: key,
    queryFn: () => api<TicketDetail>('GET', `/api/v1/tickets/${number}`),
  });
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [body, setBody] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: key });
  const post = useMutation({
    mutationFn: () =>
      api('POST', `/api/v1/tickets/${number}/${mode === 'reply' ? 'replies' : 'notes'}`, { body }),
    onSuccess: () => {
      setBody('');
      void refresh();
    },
  });
  const action = useMutation({
    mutationFn: ([path, payload]: [string, unknown]) =>
      api('POST', `/api/v1/tickets/${number}/${path}`, payload),
    onSuccess: () => void refresh(),
  });
  const error = post.error ?? action.error;

  if (ticket.isPending) return <Text>Loading…</Text>;
  if (ticket.isError) return <ErrorAlert error={ticket.error} />;
  const t = ticket.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Stack gap={2}>
          <Button variant="subtle" size="compact-sm" w="fit-content" onClick={() => navigate('/agent/')}>
            ← Queues
          </Button>
          <Title order={2}>
            #{t.number} {t.subject}
          </Title>
          <Group gap="xs">
            <Badge aria-label="Status">{t.status}</Badge>
            <Badge color="orange" aria-label="Priority">
              {t.priority}
            </Badge>
            <Text size="sm">{t.department}</Text>
            <Text size="sm">· {t.requester.name}</Text>
            <Text size="sm" aria-label="Assignee">
              · {t.assignee?.name ?? 'Unassigned'}
            </Text>
          </Group>
        </Stack>
        <Group>
          {t.assignee?.id !== me.id && (
            <Button variant="light" onClick={() => action.mutate(['assign', { assignee: me.id }])}>
              Assign to me
            </Button>
          )}
          {t.state !== 'resolved' && t.state !== 'closed' && (
            <Button color="green" onClick={() => action.mutate(['resolve', {}])}>
              Resolve
            </Button>
          )}
        </Group>
      </Group>
      <ErrorAlert error={error} />
      <Stack gap="xs" aria-label="Thread">
        {t.thread.map((item) => (
          <ThreadCard
            key={`${item.kind}-${item.id}`}
            kind={item.kind}
            author={`${item.author.name} · ${KIND_STYLE[item.kind].label}`}
            at={item.createdAt}
            bg={KIND_STYLE[item.kind].bg}
          >
            {item.body}
          </ThreadCard>
        ))}
      </Stack>
      <Card withBorder>
        <Stack>
          <SegmentedControl
            value={mode}
            onChange={(v) => setMode(v as 'reply' | 'note')}
            data={[
              { value: 'reply', label: 'Reply to customer' },
              { value: 'note', label: 'Internal note' },
            ]}
          />
          <Textarea
            label={mode === 'reply' ? 'Reply' : 'Note'}
            minRows={4}
            autosize
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button disabled={!body.trim()} loading={post.isPending} onClick={() => post.mutate()}>
              {mode === 'reply' ? 'Send reply' : 'Add note'}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
