import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { BarLineChart } from '../../ui/charts.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { navigate } from '../../ui/path.ts';
import { ticketPath } from '../routes.ts';
import {
  duration,
  percent,
  type AgentsReport,
  type CsatReport,
  type SlaReport,
  type SpeedReport,
  type Stat,
  type VolumeReport,
} from './reportQuery.ts';

// One view per report: its headline figures, its chart and its table.

export const COLORS = {
  blue: '#228be6',
  teal: '#12b886',
  orange: '#fd7e14',
  red: '#fa5252',
  violet: '#7950f2',
  gray: '#adb5bd',
};

export function Figure({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <Card withBorder padding="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.3}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" radius="md">
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / 3_600_000) * 10) / 10);
const TicketLink = ({ number }: { number: string }) => (
  <Anchor
    href={ticketPath(number)}
    onClick={(e) => {
      e.preventDefault();
      navigate(ticketPath(number));
    }}
  >
    #{number}
  </Anchor>
);

export function VolumeView({ data }: { data: VolumeReport }) {
  const s = data.series;
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label="Created" value={data.totals.created} />
        <Figure label="Resolved" value={data.totals.resolved} />
        <Figure label="Closed" value={data.totals.closed} />
        <Figure label="Reopened" value={data.totals.reopened} />
      </SimpleGrid>
      <Section title="Created vs resolved, with the backlog">
        <BarLineChart
          title="Created and resolved tickets per period, and the open backlog"
          categories={s.map((r) => r.period)}
          bars={[
            { label: 'Created', color: COLORS.blue, values: s.map((r) => r.created) },
            { label: 'Resolved', color: COLORS.teal, values: s.map((r) => r.resolved) },
          ]}
          lines={[{ label: 'Backlog', color: COLORS.orange, values: s.map((r) => r.backlog) }]}
        />
      </Section>
    </Stack>
  );
}

const STATS: [keyof Omit<SpeedReport, 'series'>, string][] = [
  ['firstResponse', 'First response'],
  ['nextResponse', 'Next response'],
  ['resolution', 'Resolution'],
  ['firstResolution', 'First resolution'],
];

export function SpeedView({ data }: { data: SpeedReport }) {
  const s = data.series;
  const cells = (x: Stat['calendar']) =>
    [x.meanMs, x.medianMs, x.p90Ms].map((v, i) => <Table.Td key={i}>{duration(v)}</Table.Td>);
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        {STATS.map(([k, label]) => (
          <Figure
            key={k}
            label={`${label} (median)`}
            value={duration(data[k].calendar.medianMs)}
            hint={`${data[k].count} tickets`}
          />
        ))}
      </SimpleGrid>
      <Section title="Median times per period (hours)">
        <BarLineChart
          title="Median first response and resolution time per period, in hours"
          categories={s.map((r) => r.period)}
          lines={[
            {
              label: 'First response',
              color: COLORS.blue,
              values: s.map((r) => hours(r.firstResponseMedianMs)),
            },
            { label: 'Resolution', color: COLORS.violet, values: s.map((r) => hours(r.resolutionMedianMs)) },
          ]}
          format={(n) => `${Math.round(n * 10) / 10} h`}
          describe={(x, f) => {
            const v = x.values.filter((n): n is number => n !== null);
            return v.length
              ? `${x.label} from ${f(Math.min(...v))} to ${f(Math.max(...v))}`
              : `${x.label}: no tickets`;
          }}
        />
      </Section>
      <Section title="Calendar and business time">
        <Table striped aria-label="Speed statistics">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Measure</Table.Th>
              <Table.Th>Tickets</Table.Th>
              <Table.Th>Mean</Table.Th>
              <Table.Th>Median</Table.Th>
              <Table.Th>90th pct</Table.Th>
              <Table.Th>Business mean</Table.Th>
              <Table.Th>Business median</Table.Th>
              <Table.Th>Business 90th</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {STATS.map(([k, label]) => (
              <Table.Tr key={k}>
                <Table.Td>{label}</Table.Td>
                <Table.Td>{data[k].count}</Table.Td>
                {cells(data[k].calendar)}
                {cells(data[k].business)}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </Stack>
  );
}

export function SlaView({ data }: { data: SlaReport }) {
  const clocks = [data.firstResponse, data.resolution];
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure
          label="First response met"
          value={percent(data.firstResponse.pct)}
          hint={`${data.firstResponse.breached} breached`}
        />
        <Figure
          label="Resolution met"
          value={percent(data.resolution.pct)}
          hint={`${data.resolution.breached} breached`}
        />
      </SimpleGrid>
      <Section title="Targets met and breached">
        <BarLineChart
          title="SLA targets met and breached"
          categories={['First response', 'Resolution']}
          bars={[
            { label: 'Met', color: COLORS.teal, values: clocks.map((c) => c.met) },
            { label: 'Breached', color: COLORS.red, values: clocks.map((c) => c.breached) },
          ]}
          height={200}
        />
      </Section>
      <Section title="Breaches">
        {data.breaches.length === 0 ? (
          <Text c="dimmed">No breaches in this range.</Text>
        ) : (
          <Table striped aria-label="Breaches">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ticket</Table.Th>
                <Table.Th>Subject</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th>Breached</Table.Th>
                <Table.Th>Department</Table.Th>
                <Table.Th>Agent</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.breaches.map((b) => (
                <Table.Tr key={`${b.number}-${b.clock}`}>
                  <Table.Td>
                    <TicketLink number={b.number} />
                  </Table.Td>
                  <Table.Td>{b.subject}</Table.Td>
                  <Table.Td>{b.clock.replace('_', ' ')}</Table.Td>
                  <Table.Td>{formatDateTime(b.dueAt)}</Table.Td>
                  <Table.Td>{formatDateTime(b.at)}</Table.Td>
                  <Table.Td>{b.department}</Table.Td>
                  <Table.Td>{b.agent ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
    </Stack>
  );
}

export function AgentsView({ data }: { data: AgentsReport }) {
  const rows = data.rows;
  return (
    <Stack>
      <Section title="Tickets resolved per agent">
        <BarLineChart
          title="Tickets resolved and replies per agent"
          categories={rows.map((r) => r.name)}
          bars={[
            { label: 'Resolved', color: COLORS.blue, values: rows.map((r) => r.resolved) },
            { label: 'Replies', color: COLORS.gray, values: rows.map((r) => r.replies) },
          ]}
          height={200}
        />
      </Section>
      <Section title="Agents">
        <Table striped aria-label="Agents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Agent</Table.Th>
              <Table.Th>Resolved</Table.Th>
              <Table.Th>Replies</Table.Th>
              <Table.Th>Median first response</Table.Th>
              <Table.Th>CSAT</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.agentId}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>{r.resolved}</Table.Td>
                <Table.Td>{r.replies}</Table.Td>
                <Table.Td>{duration(r.firstResponseMedianMs)}</Table.Td>
                <Table.Td>
                  {percent(r.csat.score)}{' '}
                  <Text span size="xs" c="dimmed">
                    ({r.csat.responses})
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
    </Stack>
  );
}

export function CsatView({ data }: { data: CsatReport }) {
  const scores = (Object.keys(data.distribution) as (keyof CsatReport['distribution'])[]).sort();
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label="CSAT score" value={percent(data.score)} hint="Satisfied answers" />
        <Figure
          label="Response rate"
          value={percent(data.responseRate)}
          hint={`${data.responses} of ${data.sent} surveys`}
        />
      </SimpleGrid>
      <Section title="Ratings">
        <BarLineChart
          title="Number of ratings per score"
          categories={scores}
          bars={[{ label: 'Ratings', color: COLORS.violet, values: scores.map((k) => data.distribution[k]) }]}
          height={200}
        />
      </Section>
      <Section title="Comments">
        {data.comments.length === 0 ? (
          <Text c="dimmed">No comments in this range.</Text>
        ) : (
          <Stack gap="xs">
            {data.comments.map((c) => (
              <Group key={`${c.number}-${c.at}`} align="start" wrap="nowrap">
                <Badge color={c.score >= 4 ? 'teal' : c.score <= 2 ? 'red' : 'gray'} variant="light" w={48}>
                  {c.score}
                </Badge>
                <div>
                  <Text size="sm">{c.comment}</Text>
                  <Text size="xs" c="dimmed">
                    <TicketLink number={c.number} /> · {c.agent ?? 'Unassigned'} · {formatDateTime(c.at)}
                  </Text>
                </div>
              </Group>
            ))}
          </Stack>
        )}
      </Section>
    </Stack>
  );
}
