import { Anchor, Button, Card, Center, Loader, Stack, Table, Tabs, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { ListTickets, TicketPageOut } from '../../../src/contract/tickets.contract.ts';
import { PageHeading } from '../ui/a11y.tsx';
import { api } from '../ui/api.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import { navigate } from '../ui/path.ts';
import { useTitle, type Customer } from './session.ts';
import { AWAITING_TEXT, awaitsCustomer, StatusBadge } from './StatusBadge.tsx';
import { formatDate } from '../ui/format.ts';

/** A ticket waiting for the customer's answer stands out: tinted, with a bar at its start. */
const AWAITING_ROW = {
  background: 'var(--dl-awaiting-bg)',
  boxShadow: `inset 4px 0 0 ${AWAITING_TEXT}`,
} as const;

/** The list's `scope` filter (GET /tickets). */
type Scope = NonNullable<z.input<typeof ListTickets>['scope']>;

/** My tickets, and my organization's on a second tab when the organization shares them with me. */
export function MyTickets({ customer }: { customer: Customer }) {
  useTitle('My tickets');
  const org = customer.organization?.sharesTickets ? customer.organization : null;
  const [scope, setScope] = useState<Scope>('mine');
  if (!org)
    return (
      <>
        <PageHeading size="h3" mb="sm">
          My tickets
        </PageHeading>
        <TicketList scope="mine" />
      </>
    );
  return (
    <Tabs value={scope} onChange={(v) => setScope(v === 'organization' ? 'organization' : 'mine')}>
      <Tabs.List mb="md">
        <Tabs.Tab value="mine">My tickets</Tabs.Tab>
        <Tabs.Tab value="organization">My organization</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="mine">
        <TicketList scope="mine" />
      </Tabs.Panel>
      <Tabs.Panel value="organization">
        <Text size="sm" c="dimmed" mb="sm">
          Tickets opened by anyone at {org.name}.
        </Text>
        <TicketList scope="organization" orgName={org.name} />
      </Tabs.Panel>
    </Tabs>
  );
}

function TicketList({ scope, orgName }: { scope: Scope; orgName?: string }) {
  const list = useInfiniteQuery({
    queryKey: ['portal-tickets', scope],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<TicketPageOut>(
        'GET',
        `/api/v1/tickets?limit=25&scope=${scope}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (list.isPending)
    return (
      <Center py="lg">
        <Loader size="sm" aria-label="Loading tickets" />
      </Center>
    );
  if (list.isError) return <ErrorAlert error={list.error} />;
  const rows = list.data.pages.flatMap((p) => p.items);
  if (rows.length === 0)
    return scope === 'mine' ? (
      <Card withBorder py="xl">
        <Stack align="center" gap="sm">
          <Text fw={600}>You have no tickets yet</Text>
          <Text size="sm" c="dimmed" ta="center">
            Tell us what you need and we will get back to you by email.
          </Text>
          <Button onClick={() => navigate('/tickets/new')}>Open your first ticket</Button>
        </Stack>
      </Card>
    ) : (
      <Text c="dimmed">Nobody at {orgName} has opened a ticket yet.</Text>
    );
  const awaiting = rows.filter((t) => awaitsCustomer(t.state)).length;
  return (
    <Stack>
      {awaiting > 0 && (
        <Text size="sm" fw={600} c={AWAITING_TEXT}>
          {awaiting === 1 ? '1 ticket is' : `${awaiting} tickets are`} waiting for your reply
        </Text>
      )}
      <Table
        aria-label={scope === 'mine' ? 'My tickets' : 'Organization tickets'}
        highlightOnHover
        verticalSpacing="sm"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Ticket</Table.Th>
            <Table.Th style={{ width: '1%', whiteSpace: 'nowrap' }}>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((t) => (
            <Table.Tr
              key={t.id}
              data-awaiting={awaitsCustomer(t.state) || undefined}
              style={awaitsCustomer(t.state) ? AWAITING_ROW : undefined}
            >
              <Table.Td>
                <Anchor
                  href={`/tickets/${t.number}`}
                  fw={500}
                  style={{ overflowWrap: 'anywhere' }}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/tickets/${t.number}`);
                  }}
                >
                  {t.subject}
                </Anchor>
                <Text size="xs" c="dimmed">
                  #{t.number}
                  {scope === 'organization' ? ` · ${t.requester.name}` : ''} · updated{' '}
                  {formatDate(t.updatedAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <StatusBadge state={t.state} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.hasNextPage && (
        <Button
          variant="default"
          loading={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
          mx="auto"
        >
          Show more
        </Button>
      )}
    </Stack>
  );
}
