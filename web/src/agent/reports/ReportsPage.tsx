import { Alert, Button, Group, Loader, Stack, Tabs, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { PageHeading } from '../../ui/a11y.tsx';
import { ErrorAlert } from '../../ui/parts.tsx';
import { navigate } from '../../ui/path.ts';
import { ReportFilters } from './ReportFilters.tsx';
import {
  lastDays,
  REPORTS,
  reportUrl,
  useReport,
  type AgentsReport,
  type CsatReport,
  type ReportName,
  type ReportParams,
  type SlaReport,
  type SpeedReport,
  type VolumeReport,
} from './reportQuery.ts';
import { AgentsView, CsatView, SlaView, SpeedView, VolumeView } from './views.tsx';

/** /agent/reports/<name>: one report at a time under one shared range and filters. */
export function ReportsPage({ report }: { report: string }) {
  const name: ReportName = REPORTS.some(([k]) => k === report) ? (report as ReportName) : 'volume';
  const [params, setParams] = useState<ReportParams>(() => ({
    ...lastDays(30),
    interval: 'day',
    filters: {},
  }));
  const [preset, setPreset] = useState('30');
  return (
    <Stack gap="md" maw={1200}>
      <Group justify="space-between">
        <PageHeading documentTitle="Reports">Reports</PageHeading>
        <Button
          component="a"
          variant="default"
          href={reportUrl(name, params, 'csv')}
          download
          aria-label="Download CSV"
        >
          Download CSV
        </Button>
      </Group>
      <Tabs value={name} onChange={(v) => v && navigate(`/agent/reports/${v}`)}>
        <Tabs.List>
          {REPORTS.map(([k, label]) => (
            <Tabs.Tab key={k} value={k}>
              {label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <ReportFilters
        value={params}
        preset={preset}
        onChange={(v, p) => {
          setParams(v);
          setPreset(p);
        }}
      />
      <ReportBody name={name} params={params} />
    </Stack>
  );
}

function ReportBody({ name, params }: { name: ReportName; params: ReportParams }) {
  switch (name) {
    case 'speed':
      return (
        <Loaded<SpeedReport>
          name={name}
          params={params}
          empty={(d) => d.firstResponse.count + d.resolution.count === 0}
          view={(d) => <SpeedView data={d} />}
        />
      );
    case 'sla':
      return (
        <Loaded<SlaReport>
          name={name}
          params={params}
          empty={(d) =>
            d.firstResponse.met + d.firstResponse.breached + d.resolution.met + d.resolution.breached === 0
          }
          view={(d) => <SlaView data={d} />}
        />
      );
    case 'agents':
      return (
        <Loaded<AgentsReport>
          name={name}
          params={params}
          empty={(d) => d.rows.length === 0}
          view={(d) => <AgentsView data={d} />}
        />
      );
    case 'csat':
      return (
        <Loaded<CsatReport>
          name={name}
          params={params}
          empty={(d) => d.sent + d.responses === 0}
          view={(d) => <CsatView data={d} />}
        />
      );
    default:
      return (
        <Loaded<VolumeReport>
          name="volume"
          params={params}
          empty={(d) =>
            Object.values(d.totals).every((n) => n === 0) && d.series.every((r) => r.backlog === 0)
          }
          view={(d) => <VolumeView data={d} />}
        />
      );
  }
}

function Loaded<T>(p: {
  name: ReportName;
  params: ReportParams;
  empty: (d: T) => boolean;
  view: (d: T) => ReactNode;
}) {
  const q = useReport<T>(p.name, p.params);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Loader aria-label="Loading report" />;
  if (p.empty(q.data))
    return (
      <Alert variant="light" color="gray" title="No tickets in this range">
        <Text size="sm">Try a longer date range or fewer filters.</Text>
      </Alert>
    );
  return <div style={{ opacity: q.isPlaceholderData ? 0.6 : 1 }}>{p.view(q.data)}</div>;
}
