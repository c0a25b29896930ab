import { Button, Grid, Group, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { api } from '../../ui/api.ts';
import { ErrorAlert } from '../../ui/parts.tsx';
import { navigate } from '../../ui/path.ts';
import type { Me } from '../AgentApp.tsx';
import { lastQueue, useTicketShortcuts, type TicketShortcut } from '../shortcuts.tsx';
import { Composer, type ComposerHandle } from './Composer.tsx';
import { ticketUrl } from './data.ts';
import { ActionButtons, ActionPanel, useTicketAction } from './TicketActions.tsx';
import { RequesterCard, TicketHeader } from './TicketHeader.tsx';
import { TicketThread } from './TicketThread.tsx';
import type { TicketDetail } from './types.ts';
import { usePresence } from './usePresence.ts';

/**
 * One ticket: header with the SLA clocks and who else is here, the thread,
 * the composer, and the actions on the right. Live events refresh it
 * (useLiveEvents invalidates ['ticket', number]).
 */
export function TicketView(p: { me: Me & { signature?: string }; number: string }) {
  // Keyed by number: a draft, the composer's mode and an action's error never follow the agent to the next ticket.
  return <TicketPage key={p.number} {...p} />;
}

function TicketPage({ me, number }: { me: Me & { signature?: string }; number: string }) {
  const client = useQueryClient();
  const ticket = useQuery({
    queryKey: ['ticket', number],
    queryFn: () => api<TicketDetail>('GET', ticketUrl(number)),
  });
  const refresh = useCallback(
    () => void client.invalidateQueries({ queryKey: ['ticket', number] }),
    [client, number],
  );
  const action = useTicketAction(number, refresh);
  const { mutate } = action;
  const run = useCallback((path: string, payload: object) => mutate([path, payload]), [mutate]);
  const [replying, setReplying] = useState(false);
  const others = usePresence(number, replying, ticket.isSuccess);
  const composer = useRef<ComposerHandle>(null);
  const assigneeId = ticket.data?.assignee?.id ?? null;
  useTicketShortcuts(
    useCallback(
      (s: TicketShortcut) => {
        if (s !== 'assign') composer.current?.focus(s);
        else if (assigneeId !== me.id) run('assign', { assignee: me.id });
      },
      [run, me.id, assigneeId],
    ),
  );

  if (ticket.isPending) return <Text>Loading…</Text>;
  if (ticket.isError) return <ErrorAlert error={ticket.error} />;
  const t = ticket.data;
  const back = lastQueue()?.path ?? '/agent/';
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Button variant="subtle" size="compact-sm" onClick={() => navigate(back)}>
          ← Back to the queue
        </Button>
        <ActionButtons t={t} me={me} run={run} busy={action.isPending} onChanged={refresh} />
      </Group>
      <TicketHeader t={t} others={others} />
      <ErrorAlert error={action.error} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <TicketThread thread={t.thread} />
            <Composer
              ref={composer}
              number={number}
              signature={me.signature ?? ''}
              onSent={refresh}
              onActive={setReplying}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack>
            <ActionPanel t={t} me={me} run={run} leaveTo={back} />
            <RequesterCard t={t} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
