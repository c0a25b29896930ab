import { Anchor, Badge, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../ui/api.ts';
import { navigate } from '../../ui/path.ts';
import type { Me } from '../AgentApp.tsx';
import { ticketPath, type AgentRoute } from '../routes.ts';
import { QUEUES } from './QueueNav.tsx';

interface TicketRow {
  id: number;
  number: string;
  subject: string;
  status: string;
  priority: string;
  department: string;
  requester: { name: string; email: string | null };
  assignee: { name: string } | null;
  updatedAt: string;
}

const PRIORITY_COLOR: Record<string, string> = {
  Low: 'gray',
  Normal: 'blue',
  High: 'orange',
  Emergency: 'red',
};

/** A queue, or search results shown as one. */
export function QueuePage({ route }: { me: Me; route: Extract<AgentRoute, { page: 'queue' | 'search' }> }) {
  const url =
    route.page === 'search'
      ? `/api/v1/tickets?q=${encodeURIComponent(route.q)}&limit=50`
      : `/api/v1/tickets?queue=${route.queue}&limit=50`;
  const page = useQuery({ queryKey: ['queue', url], queryFn: () => api<{ items: TicketRow[] }>('GET', url) });
  const title =
    route.page === 'search'
      ? `Search: ${route.q}`
      : (QUEUES.find(([q]) => q === route.queue)?.[1] ?? route.queue);
  return (
    <>
      <Title order={2} mb="md">
        {title}
      </Title>
      {page.data && page.data.items.length === 0 && <Text c="dimmed">No tickets here.</Text>}
      {page.data && page.data.items.length > 0 && (
        <Table striped highlightOnHover aria-label={`${title} tickets`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Number</Table.Th>
              <Table.Th>Subject</Table.Th>
              <Table.Th>Requester</Table.Th>
              <Table.Th>Priority</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Department</Table.Th>
              <Table.Th>Assignee</Table.Th>
              <Table.Th>Updated</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.data.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>{t.number}</Table.Td>
                <Table.Td>
                  <Anchor
                    href={ticketPath(t.number)}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(ticketPath(t.number));
                    }}
                  >
                    {t.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t.requester.name}</Table.Td>
                <Table.Td>
                  <Badge color={PRIORITY_COLOR[t.priority] ?? 'gray'}>{t.priority}</Badge>
                </Table.Td>
                <Table.Td>{t.status}</Table.Td>
                <Table.Td>{t.department}</Table.Td>
                <Table.Td>{t.assignee?.name ?? '—'}</Table.Td>
                <Table.Td>{new Date(t.updatedAt).toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
