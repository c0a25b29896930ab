import {
  Fieldset,
  Group,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { text, Tag } from './columns.tsx';
import { issueText, TIME_ZONES, type EditorProps, type ResourceSpec, type Row } from './model.ts';
import type { SlaPlanOut } from '../../../../src/contract/sla.contract.ts';

// SLA plans: targets per priority, business hours with holidays, and the
// escalation at the warning and the breach. Targets and hours get their own
// editors; the escalation's action lists are rare enough for JSON.

const TARGETS = [
  ['firstResponse', 'First response'],
  ['nextResponse', 'Next response'],
  ['resolution', 'Resolution'],
] as const;
type Targets = SlaPlanOut['targets'];

const duration = (min: number | undefined) =>
  min === undefined
    ? '—'
    : min % 1440 === 0
      ? `${min / 1440} d`
      : min % 60 === 0
        ? `${min / 60} h`
        : `${min} min`;

/** One line per priority (most urgent first), minutes of business time per target. */
function TargetsEditor(p: EditorProps) {
  const value = (p.value as Targets | undefined) ?? {};
  const levels = [...(p.refs.get('priorities') ?? [])].sort((a, b) => Number(b.level) - Number(a.level));
  const set = (level: string, key: string, v: number | string) =>
    p.onChange({ ...value, [level]: { ...value[level], [key]: v === '' ? undefined : Number(v) } });
  return (
    <Fieldset legend={`${p.label} (minutes of business time)`} variant="filled">
      <Table withRowBorders={false} verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Priority</Table.Th>
            {TARGETS.map(([, label]) => (
              <Table.Th key={label}>{label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {levels.map((prio) => {
            const level = String(prio.level);
            return (
              <Table.Tr key={prio.id}>
                <Table.Td>
                  <Tag color={String(prio.color)} variant="dot" tt="none">
                    {String(prio.name)}
                  </Tag>
                </Table.Td>
                {TARGETS.map(([key, label]) => (
                  <Table.Td key={key}>
                    <NumberInput
                      aria-label={`${String(prio.name)} ${label.toLowerCase()} (minutes)`}
                      size="xs"
                      min={1}
                      allowDecimal={false}
                      placeholder="none"
                      value={value[level]?.[key] ?? ''}
                      onChange={(v) => set(level, key, v)}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {p.issues.length > 0 && (
        <Text c="red" size="sm" role="alert">
          {issueText(p.issues)}
        </Text>
      )}
    </Fieldset>
  );
}

const cleanTargets = (v: unknown) =>
  Object.fromEntries(
    Object.entries((v as Targets | undefined) ?? {})
      .map(([level, t]) => [level, Object.fromEntries(Object.entries(t).filter(([, n]) => n !== undefined))])
      .filter(([, t]) => Object.keys(t as object).length > 0),
  );

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
interface CalendarDraft {
  on: boolean;
  timezone: string;
  hours: Record<string, string>;
  holidays: string[];
}
type CalendarSpec = NonNullable<SlaPlanOut['calendar']>;

const draftOf = (row: Row): CalendarDraft => {
  const c = row.calendar as CalendarSpec | null;
  return {
    on: c !== null,
    timezone: c?.timezone ?? 'UTC',
    hours: Object.fromEntries(
      DAYS.map((d) => [d, c ? (c.hours[d] ?? []).map(([s, e]) => `${s}-${e}`).join(', ') : ''] as const),
    ),
    holidays: c?.holidays ?? [],
  };
};
const NEW_CALENDAR: CalendarDraft = {
  on: false,
  timezone: 'UTC',
  hours: {
    mon: '09:00-17:00',
    tue: '09:00-17:00',
    wed: '09:00-17:00',
    thu: '09:00-17:00',
    fri: '09:00-17:00',
  },
  holidays: [],
};

/** "09:00-12:00, 13:00-17:00" → [['09:00','12:00'], ['13:00','17:00']]; the API checks the times. */
function calendarOf(v: unknown): CalendarSpec | null {
  const d = v as CalendarDraft;
  if (!d.on) return null;
  const hours: CalendarSpec['hours'] = {};
  for (const day of DAYS) {
    const spans = (d.hours[day] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => s.split(/\s*[-–]\s*/) as [string, string]);
    if (spans.length > 0) hours[day] = spans;
  }
  return { timezone: d.timezone, hours, holidays: d.holidays };
}

function CalendarEditor(p: EditorProps) {
  const d = (p.value as CalendarDraft | undefined) ?? NEW_CALENDAR;
  const set = (patch: Partial<CalendarDraft>) => p.onChange({ ...d, ...patch });
  return (
    <Fieldset legend={p.label} variant="filled">
      <Stack gap="xs">
        <Switch
          label="Count business hours only (otherwise around the clock, 24×7)"
          checked={d.on}
          onChange={(e) => set({ on: e.currentTarget.checked })}
        />
        {d.on && (
          <>
            <Select
              label="Time zone"
              data={TIME_ZONES}
              value={d.timezone}
              onChange={(v) => set({ timezone: v ?? 'UTC' })}
              searchable
            />
            <Group grow gap="xs">
              {DAYS.map((day) => (
                <TextInput
                  key={day}
                  label={day[0]!.toUpperCase() + day.slice(1)}
                  placeholder="closed"
                  size="xs"
                  value={d.hours[day] ?? ''}
                  onChange={(e) => set({ hours: { ...d.hours, [day]: e.currentTarget.value } })}
                />
              ))}
            </Group>
            <Text size="xs" c="dimmed">
              Hours as 09:00-17:00; several spans with commas (09:00-12:00, 13:00-17:00); empty: closed.
            </Text>
            <TagsInput
              label="Holidays"
              placeholder="2026-12-25, Enter"
              value={d.holidays}
              onChange={(holidays) => set({ holidays })}
            />
          </>
        )}
        {p.issues.length > 0 && (
          <Text c="red" size="sm" role="alert">
            {issueText(p.issues)}
          </Text>
        )}
      </Stack>
    </Fieldset>
  );
}

const ESCALATION_HELP =
  'A list of actions: {"type":"notify","to":["assignee","team_lead","manager","department"]}, {"type":"raise_priority"}, {"type":"reassign","agentId":null}';

export const slaPlans: ResourceSpec = {
  path: 'sla-plans',
  section: 'sla-plans',
  title: 'SLA plans',
  singular: 'SLA plan',
  intro:
    'Response and resolution targets per priority, counted in business hours. Departments and help topics choose a plan.',
  fields: [
    { key: 'name', label: 'Name', kind: 'text', required: true },
    {
      key: 'targets',
      label: 'Targets',
      kind: 'custom',
      editor: TargetsEditor,
      default: {},
      toApi: cleanTargets,
    },
    {
      key: 'calendar',
      label: 'Business hours',
      kind: 'custom',
      editor: CalendarEditor,
      from: draftOf,
      default: NEW_CALENDAR,
      toApi: calendarOf,
      nullable: true,
    },
    {
      key: 'escalation.warnAtPercent',
      group: 'Escalation',
      label: 'Warn when this share of a target has passed (%)',
      kind: 'number',
      nullable: true,
      default: 80,
      description: 'Empty: no warning',
    },
    {
      key: 'escalation.onWarning',
      group: 'Escalation',
      label: 'At the warning',
      kind: 'json',
      description: ESCALATION_HELP,
      default: [{ type: 'notify', to: ['assignee'] }],
    },
    {
      key: 'escalation.onBreach',
      group: 'Escalation',
      label: 'At the breach',
      kind: 'json',
      default: [{ type: 'notify', to: ['assignee', 'manager'] }],
    },
  ],
  refs: ['priorities'],
  columns: [
    text('Name', 'name', true),
    {
      label: 'Most urgent target',
      render: (row, refs) => {
        const targets = row.targets as Targets;
        const top = Object.keys(targets).sort((a, b) => Number(b) - Number(a))[0];
        const prio = refs.get('priorities')?.find((x) => String(x.level) === top);
        const t = top === undefined ? undefined : targets[top];
        return t ? (
          <Text size="sm">
            {String(prio?.name ?? `Level ${top}`)}: respond {duration(t.firstResponse)}, resolve{' '}
            {duration(t.resolution)}
          </Text>
        ) : (
          <Text c="dimmed">—</Text>
        );
      },
    },
    {
      label: 'Hours',
      render: (row) => {
        const c = row.calendar as CalendarSpec | null;
        if (!c)
          return (
            <Tag variant="light" color="gray">
              24×7
            </Tag>
          );
        const open = DAYS.filter((d) => (c.hours[d] ?? []).length > 0);
        return (
          <Text size="sm">
            {open.map((d) => d[0]!.toUpperCase() + d.slice(1)).join(' ')} · {c.timezone}
            {c.holidays?.length ? ` · ${c.holidays.length} holidays` : ''}
          </Text>
        );
      },
    },
  ],
  remove: 'delete',
};
