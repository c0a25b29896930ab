import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { PageHeading } from '../../ui/a11y.tsx';
import { api } from '../../ui/api.ts';
import { navigate } from '../../ui/path.ts';
import { RatingView } from '../../ui/rating.tsx';
import { ticketPath } from '../routes.ts';
import { useList, when } from './data.ts';
import type { CustomerOut } from '../../../../src/contract/directory.contract.ts';
import type { Named, Priority, TicketDetail, TicketRow } from './types.ts';
import type { PresentAgent } from './usePresence.ts';

const STATE_COLOR = { open: 'blue', pending: 'grape', resolved: 'green', closed: 'gray' } as const;

const SOURCES: Record<string, string> = {
  email: 'Email',
  web: 'Web portal',
  phone: 'Phone',
  api: 'API',
  other: 'Other',
};

/** Number, subject, status, priority in its colour, who else is here, and the ticket's facts with its SLA clocks. */
export function TicketHeader({ t, others }: { t: TicketDetail; others: PresentAgent[] }) {
  const priorities = useList<Priority>('priorities');
  const color = priorities.data?.find((p) => p.id === t.priorityId)?.color ?? 'gray';
  return (
    <Stack gap="xs">
      <PageHeading documentTitle={`#${t.number} ${t.subject}`}>
        #{t.number} {t.subject}
      </PageHeading>
      <Group gap="xs">
        <Badge aria-label="Status" color={STATE_COLOR[t.state]}>
          {t.status}
        </Badge>
        <Badge aria-label="Priority" color={color} variant="dot">
          {t.priority}
        </Badge>
        {others.map((o) => (
          <Badge
            key={o.agentId}
            variant="dot"
            tt="none"
            color={o.activity === 'replying' ? 'orange' : 'teal'}
            role="status"
            aria-label={`${o.name} is ${o.activity}`}
          >
            {o.name.split(' ')[0]} is {o.activity}
          </Badge>
        ))}
      </Group>
      <Card withBorder p="sm">
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs" verticalSpacing={6}>
          <Fact label="Department">{t.department}</Fact>
          <Fact label="Team">{t.team ?? '—'}</Fact>
          <Fact label="Assignee">{t.assignee?.name ?? 'Unassigned'}</Fact>
          <Fact label="Help topic">{t.helpTopic ?? '—'}</Fact>
          <Fact label="Source">{SOURCES[t.source] ?? t.source}</Fact>
          <Fact label="Created">{when(t.createdAt)}</Fact>
          <Fact label="Updated">{when(t.updatedAt)}</Fact>
          {t.rating && (
            <Fact label="Customer rating">
              <RatingView scale={t.rating.scale} score={t.rating.score} comment={t.rating.comment} />
            </Fact>
          )}
          <Fact label="SLA plan">{t.sla ? `${t.sla.plan}${t.sla.paused ? ' (paused)' : ''}` : 'None'}</Fact>
          {t.sla && (
            <>
              <Due
                label="First response due"
                at={t.sla.firstResponseDueAt}
                done={t.firstResponseAt}
                paused={t.sla.paused}
              />
              <Due label="Next response due" at={t.sla.nextResponseDueAt} paused={t.sla.paused} />
              <Due label="Resolution due" at={t.sla.resolutionDueAt} paused={t.sla.paused} />
            </>
          )}
        </SimpleGrid>
      </Card>
    </Stack>
  );
}

function Fact({ label, children, color }: { label: string; children: ReactNode; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="div" size="sm" fw={500} aria-label={label} c={color}>
        {children}
      </Text>
    </div>
  );
}

/** A due time, red once passed (unless met); a clock stopped while the customer is awaited says so. */
function Due(p: { label: string; at: string | null; done?: string | null; paused: boolean }) {
  const { label, at, done } = p;
  const late = at !== null && !done && Date.parse(at) < Date.now();
  return (
    <Fact label={label} {...(late ? { color: 'red' } : {})}>
      {done ? `Met ${when(done)}` : at ? `${when(at)}${late ? ' (overdue)' : ''}` : p.paused ? 'Paused' : '—'}
    </Fact>
  );
}

/** The requester, their organization, and their other tickets (links). */
export function RequesterCard({ t }: { t: TicketDetail }) {
  const email = t.requester.email ?? '';
  const customer = useQuery({
    queryKey: ['customer', t.requester.id],
    queryFn: () => api<CustomerOut>('GET', `/api/v1/customers/${t.requester.id}`),
    enabled: t.requester.id !== null,
    staleTime: 60_000,
  });
  const orgId = customer.data?.organizationId ?? null;
  const orgs = useList<Named>('organizations', orgId !== null);
  const others = useQuery({
    queryKey: ['tickets', 'requester', email],
    queryFn: () =>
      api<{ items: TicketRow[] }>('GET', `/api/v1/tickets?requester=${encodeURIComponent(email)}&limit=8`),
    enabled: email !== '',
  });
  const list = (others.data?.items ?? []).filter((o) => o.number !== t.number);
  return (
    <Card withBorder p="sm" aria-label="Requester">
      <Text size="xs" c="dimmed">
        Requester
      </Text>
      <Text fw={600}>{t.requester.name || email}</Text>
      <Text size="sm">{email}</Text>
      {customer.data?.phone && <Text size="sm">{customer.data.phone}</Text>}
      <Text size="sm" c="dimmed" aria-label="Organization">
        {orgId === null ? 'No organization' : (orgs.data?.find((o) => o.id === orgId)?.name ?? '…')}
      </Text>
      <Text size="xs" c="dimmed" mt="sm">
        Other tickets
      </Text>
      {others.isPending ? (
        <Text size="sm">Loading…</Text>
      ) : list.length === 0 ? (
        <Text size="sm" c="dimmed">
          None
        </Text>
      ) : (
        <Stack gap={2} component="nav" aria-label="Other tickets of the requester">
          {list.map((o) => (
            <Anchor
              key={o.number}
              size="sm"
              py={2}
              href={ticketPath(o.number)}
              onClick={(e) => {
                e.preventDefault();
                navigate(ticketPath(o.number));
              }}
            >
              #{o.number} {o.subject} · {o.status}
            </Anchor>
          ))}
        </Stack>
      )}
    </Card>
  );
}
