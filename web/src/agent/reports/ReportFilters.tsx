import { Group, SegmentedControl, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { Me } from '../AgentApp.tsx';
import { options, useList } from '../ticket/data.ts';
import { lastDays, type FilterName, type ReportParams } from './reportQuery.ts';
import type { Named } from '../ticket/types.ts';

const PRESETS = [
  ['7', 'Last 7 days'],
  ['30', 'Last 30 days'],
  ['90', 'Last 90 days'],
  ['custom', 'Custom'],
] as const;

const CHANNELS = ['email', 'web', 'phone', 'api', 'other'].map((c) => ({
  value: c,
  label: c === 'api' ? 'API' : c[0]!.toUpperCase() + c.slice(1),
}));

/** The date range, interval and the seven filters above every report. */
export function ReportFilters(p: {
  value: ReportParams;
  preset: string;
  onChange: (v: ReportParams, preset: string) => void;
}) {
  const lists: Record<Exclude<FilterName, 'channel'>, ReturnType<typeof useList<Named>>> = {
    department: useList<Named>('departments'),
    team: useList<Named>('teams'),
    agent: useList<Named>('agents'),
    topic: useList<Named>('help-topics'),
    priority: useList<Named>('priorities'),
    organization: useList<Named>('organizations'),
  };
  const labels: Record<FilterName, string> = {
    department: 'Department',
    team: 'Team',
    agent: 'Agent',
    topic: 'Help topic',
    priority: 'Priority',
    channel: 'Channel',
    organization: 'Organization',
  };
  // An agent's reports cover their own departments only (the API refuses others): offer just those.
  const me = useQueryClient().getQueryData<Me>(['me']);
  const own = me && me.role !== 'admin' ? new Set(me.departments.map((d) => d.id)) : null;
  const data = (f: FilterName) => {
    if (f === 'channel') return CHANNELS;
    const rows = lists[f].data;
    return options(f === 'department' && own && rows ? rows.filter((d) => own.has(d.id)) : rows);
  };
  const setFilter = (f: FilterName, v: string | null) => {
    const filters = { ...p.value.filters };
    if (v) filters[f] = v;
    else delete filters[f];
    p.onChange({ ...p.value, filters }, p.preset);
  };
  return (
    <>
      <Group align="end" gap="sm" wrap="wrap">
        <Select
          label="Date range"
          w={160}
          allowDeselect={false}
          data={PRESETS.map(([value, label]) => ({ value, label }))}
          value={p.preset}
          onChange={(v) => {
            if (!v) return;
            p.onChange(v === 'custom' ? p.value : { ...p.value, ...lastDays(Number(v)) }, v);
          }}
        />
        <TextInput
          type="date"
          label="From"
          w={150}
          value={p.value.from}
          max={p.value.to}
          onChange={(e) =>
            e.currentTarget.value && p.onChange({ ...p.value, from: e.currentTarget.value }, 'custom')
          }
        />
        <TextInput
          type="date"
          label="To"
          w={150}
          value={p.value.to}
          min={p.value.from}
          onChange={(e) =>
            e.currentTarget.value && p.onChange({ ...p.value, to: e.currentTarget.value }, 'custom')
          }
        />
        <SegmentedControl
          aria-label="Interval"
          data={[
            { value: 'day', label: 'Daily' },
            { value: 'week', label: 'Weekly' },
          ]}
          value={p.value.interval}
          onChange={(v) => p.onChange({ ...p.value, interval: v === 'week' ? 'week' : 'day' }, p.preset)}
        />
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} spacing="xs">
        {(Object.keys(labels) as FilterName[]).map((f) => (
          <Select
            key={f}
            label={labels[f]}
            size="xs"
            clearable
            searchable
            placeholder={f === 'department' && own ? 'My departments' : 'All'}
            data={data(f)}
            value={p.value.filters[f] ?? null}
            onChange={(v) => setFilter(f, v)}
          />
        ))}
      </SimpleGrid>
    </>
  );
}
