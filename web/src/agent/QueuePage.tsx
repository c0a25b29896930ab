import {
  Anchor,
  AppShell,
  Badge,
  Button,
  Group,
  NavLink,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../ui/api.ts';
import { navigate, usePath } from '../ui/path.ts';
import { PhoneIntake } from './PhoneIntake.tsx';
import { TicketView } from './TicketView.tsx';
import type { Me } from './AgentApp.tsx';

// WIP (issue 6): the queue list. Counts, columns, sorting, bulk actions and
// the ticket view come next.

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

const QUEUES = [
  ['mine', 'My tickets'],
  ['unassigned', 'Unassigned'],
  ['open', 'Open'],
  ['awaiting', 'Awaiting customer'],
  ['resolved', 'Resolved'],
  ['closed', 'Closed'],
] as const;

const PRIORITY_COLOR: Record<string, string> = {
  Low: 'gray',
  Normal: 'blue',
  High: 'orange',
  Emergency: 'red',
};

export function QueuePage({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  const [queue, setQueue] = useState<(typeof QUEUES)[number][0]>('open');
  const [search, setSearch] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const page = useQuery({
    queryKey: ['queue', queue, searched],
    queryFn: () =>
      api<{ items: TicketRow[] }>(
        'GET',
        searched === null
          ? `/api/v1/tickets?queue=${queue}&limit=50`
          : `/api/v1/tickets?q=${encodeURIComponent(searched)}&limit=50`,
      ),
  });
  const title = searched === null ? (QUEUES.find(([q]) => q === queue)?.[1] ?? '') : `Search: ${searched}`;
  const path = usePath();
  const opened = /^\/agent\/tickets\/([^/]+)/.exec(path)?.[1];
  const intake = path === '/agent/new';
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between">
          <Title order={3}>Deskline</Title>
          <Group>
            <form
              role="search"
              onSubmit={(e) => {
                e.preventDefault();
                setSearched(search.trim() || null);
                navigate('/agent/');
              }}
            >
              <TextInput
                aria-label="Search tickets"
                placeholder="Search number, subject, text, requester"
                size="xs"
                w={300}
                value={search}
                onChange={(e) => setSearch(e.currentTarget.value)}
              />
            </form>
            <Button size="xs" onClick={() => navigate('/agent/new')}>
              New ticket
            </Button>
            <Text size="sm">{me.name}</Text>
            <Button
              variant="subtle"
              size="xs"
              onClick={async () => {
                await api('DELETE', '/api/v1/session');
                onSignedOut();
              }}
            >
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Queues">
        {QUEUES.map(([q, label]) => (
          <NavLink
            key={q}
            component="button"
            label={label}
            active={q === queue}
            onClick={() => setQueue(q)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {intake ? (
          <PhoneIntake />
        ) : opened ? (
          <TicketView me={me} number={opened} />
        ) : (
          <QueueList title={title} page={page.data} />
        )}
      </AppShell.Main>
    </AppShell>
  );
}

function QueueList({ title, page }: { title: string; page: { items: TicketRow[] } | undefined }) {
  return (
    <>
      <Title order={2} mb="md">
        {title}
      </Title>
      {page && page.items.length === 0 && <Text c="dimmed">No tickets here.</Text>}
      {page && page.items.length > 0 && (
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
            {page.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>{t.number}</Table.Td>
                <Table.Td>
                  <Anchor
                    href={`/agent/tickets/${t.number}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/agent/tickets/${t.number}`);
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
