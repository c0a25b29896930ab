import { Card, Group, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { DashboardOut } from '../../../../src/contract/dashboard.contract.ts';
import { PageHeading } from '../../ui/a11y.tsx';
import { api } from '../../ui/api.ts';
import { BarLineChart } from '../../ui/charts.tsx';
import { ErrorAlert } from '../../ui/parts.tsx';
import { navigate } from '../../ui/path.ts';
import { lastDays, reportUrl, type VolumeReport } from '../reports/reportQuery.ts';
import { COLORS } from '../reports/views.tsx';
import { queuePath } from '../routes.ts';

type Dashboard = DashboardOut;
type Counter = Exclude<keyof Dashboard, 'csatThisWeek' | 'cap' | 'capped'>;

// Each card opens the list behind its number. Live: the query key is not in
// useLiveEvents' stable set, so a ticket event refreshes it; and every 30 s.
const CARDS: { key: Counter; label: string; hint: string; to: string; tone?: string }[] = [
  { key: 'myOpen', hint: 'Assigned to you', label: 'My open tickets', to: queuePath('mine') },
  { key: 'dueToday', hint: 'Due before midnight', label: 'Due today', to: queuePath('open'), tone: 'orange' },
  { key: 'overdue', hint: 'Past their SLA target', label: 'Overdue', to: queuePath('overdue'), tone: 'red' },
  {
    key: 'unassignedInMyDepartments',
    hint: 'Waiting in your departments',
    label: 'Unassigned',
    to: queuePath('unassigned'),
  },
  { key: 'createdToday', hint: 'Since midnight', label: 'Created today', to: '/agent/reports/volume' },
  { key: 'resolvedToday', hint: 'Since midnight', label: 'Resolved today', to: queuePath('resolved') },
];

export function DashboardPage() {
  const q = useQuery({
    queryKey: ['dashboard'],
    queryFn: () => api<Dashboard>('GET', '/api/v1/dashboard'),
    refetchInterval: 30_000,
  });
  const d = q.data;
  const csat = d?.csatThisWeek;
  const card = (c: (typeof CARDS)[number]) => (
    <StatCard
      key={c.key}
      label={c.label}
      hint={c.hint}
      to={c.to}
      value={d ? (d.capped.includes(c.key) ? `${d.cap.toLocaleString()}+` : d[c.key].toLocaleString()) : '…'}
      color={d && d[c.key] > 0 ? c.tone : undefined}
    />
  );
  return (
    <Stack gap="md" maw={1200}>
      <PageHeading documentTitle="Dashboard">Dashboard</PageHeading>
      {q.error ? <ErrorAlert error={q.error} /> : null}
      <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="md">
        {CARDS.slice(0, 4).map((c) => card(c))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, lg: 3 }} spacing="md">
        {CARDS.slice(4).map((c) => card(c))}
        <StatCard
          label="CSAT this week"
          to="/agent/reports/csat"
          value={csat ? (csat.score === null ? '—' : `${csat.score}%`) : '…'}
          hint={
            csat ? `${csat.responses} ${csat.responses === 1 ? 'rating' : 'ratings'} since Monday` : undefined
          }
          color={
            csat && csat.score !== null
              ? csat.score >= 80
                ? 'teal'
                : csat.score < 60
                  ? 'red'
                  : undefined
              : undefined
          }
        />
      </SimpleGrid>
      <RecentVolume />
    </Stack>
  );
}

function StatCard(p: {
  label: string;
  value: string;
  to: string;
  hint?: string;
  color?: string | undefined;
}) {
  return (
    <Card withBorder radius="md" padding="md" h="100%" className="dl-stat-card">
      {/* The button is named by what it shows (label and value); the hint is outside it. */}
      <UnstyledButton onClick={() => navigate(p.to)} style={{ display: 'block' }}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {p.label}
        </Text>
        <Text fz={32} fw={700} lh={1.25} c={p.color} data-testid="stat-value">
          {p.value}
        </Text>
      </UnstyledButton>
      <Text size="xs" c="dimmed">
        {p.hint ?? '\u00a0'}
      </Text>
    </Card>
  );
}

/** The last two weeks' flow, from the volume report (left out if reports fail). */
function RecentVolume() {
  const url = reportUrl('volume', { ...lastDays(14), interval: 'day', filters: {} });
  const q = useQuery({
    queryKey: ['report', 'volume', url],
    queryFn: () => api<VolumeReport>('GET', url),
    refetchInterval: 60_000,
  });
  const s = q.data?.series ?? [];
  return (
    <Card withBorder radius="md" padding="md">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5">
          Last 14 days
        </Title>
        <UnstyledButton onClick={() => navigate('/agent/reports/volume')}>
          <Text size="sm" c="blue">
            Open the volume report
          </Text>
        </UnstyledButton>
      </Group>
      {q.error ? (
        <ErrorAlert error={q.error} />
      ) : (
        <BarLineChart
          title="Created and resolved tickets per day over the last 14 days, and the open backlog"
          categories={s.map((r) => r.period)}
          bars={[
            { label: 'Created', color: COLORS.blue, values: s.map((r) => r.created) },
            { label: 'Resolved', color: COLORS.teal, values: s.map((r) => r.resolved) },
          ]}
          lines={[{ label: 'Backlog', color: COLORS.orange, values: s.map((r) => r.backlog) }]}
          height={220}
        />
      )}
    </Card>
  );
}
