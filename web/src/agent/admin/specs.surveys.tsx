import { NumberInput, Select } from '@mantine/core';
import type { EditorProps, Issue, Option } from './model.ts';
import { Rows } from './Rows.tsx';
import type { SettingsSpec } from './SettingsPage.tsx';
import type { z } from 'zod';
import type { SETTINGS } from '../../../../src/contract/settings.contract.ts';

// Confirmation and satisfaction surveys (GET/PUT /api/v1/settings/surveys);
// see docs/SURVEYS.md. Departments override any field by id: the editor
// shows one row per department, each field "as the desk" unless set.

const TRIGGERS: Option[] = [
  { value: 'resolved', label: 'resolved' },
  { value: 'closed', label: 'closed' },
];
const SCALES: Option[] = [
  { value: 'five', label: '1 to 5 stars' },
  { value: 'binary', label: 'Good / bad' },
];

/** A department's survey settings: the desk's, with some fields overridden. */
type Override = z.output<typeof SETTINGS.surveys>['departments'][string];
/** One row of the editor; the API's value is an object by department id. */
interface OverrideRow {
  department: string | null;
  override: Override;
}

const rowsOf = (raw: unknown): OverrideRow[] =>
  Object.entries((raw as Record<string, Override> | null) ?? {}).map(([department, override]) => ({
    department,
    override,
  }));
const objectOf = (rows: unknown): Record<string, Override> =>
  Object.fromEntries(
    (rows as OverrideRow[]).filter((r) => r.department !== null).map((r) => [r.department, r.override]),
  );

const INHERIT = 'inherit';
/** A select whose first choice leaves the field to the desk-wide setting. */
function Choice(p: {
  label: string;
  value: string | undefined;
  data: Option[];
  set: (v: string | undefined) => void;
}) {
  return (
    <Select
      label={p.label}
      size="xs"
      w={150}
      allowDeselect={false}
      data={[{ value: INHERIT, label: 'As the desk' }, ...p.data]}
      value={p.value ?? INHERIT}
      onChange={(v) => p.set(v === INHERIT || v === null ? undefined : v)}
    />
  );
}

function OverridesEditor(p: EditorProps) {
  const rows = (p.value as OverrideRow[] | undefined) ?? [];
  const departments = p.refs.get('departments') ?? [];
  // The API names problems by department id ('3.changeDays'); the rows are numbered by position.
  const issues: Issue[] = p.issues.map((x) => {
    const at = rows.findIndex((r) => r.department !== null && x.path.startsWith(`${r.department}.`));
    return at < 0 ? x : { ...x, path: `${at}${x.path.slice(rows[at]!.department!.length)}` };
  });
  const without = (o: Override, key: keyof Override) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
  return (
    <Rows<OverrideRow>
      label={p.label}
      items={rows}
      onChange={p.onChange}
      blank={{ department: null, override: {} }}
      issues={issues}
      addLabel="Add a department"
      empty="Every department follows the settings above."
      row={(item, set) => {
        const put = (key: keyof Override, v: Override[keyof Override] | undefined) =>
          set({
            ...item,
            override: v === undefined ? without(item.override, key) : { ...item.override, [key]: v },
          });
        const taken = new Set(rows.map((r) => r.department));
        return (
          <>
            <Select
              label="Department"
              size="xs"
              w={170}
              placeholder="Pick one"
              data={departments
                .filter((d) => String(d.id) === item.department || !taken.has(String(d.id)))
                .map((d) => ({ value: String(d.id), label: String(d.name) }))}
              value={item.department}
              onChange={(v) => set({ ...item, department: v })}
            />
            <Choice
              label="Surveys"
              value={item.override.enabled === undefined ? undefined : item.override.enabled ? 'on' : 'off'}
              data={[
                { value: 'on', label: 'Sent' },
                { value: 'off', label: 'Not sent' },
              ]}
              set={(v) => put('enabled', v === undefined ? undefined : v === 'on')}
            />
            <Choice
              label="When"
              value={item.override.trigger}
              data={TRIGGERS}
              set={(v) => put('trigger', v as Override['trigger'])}
            />
            <Choice
              label="Scale"
              value={item.override.scale}
              data={SCALES}
              set={(v) => put('scale', v as Override['scale'])}
            />
            <NumberInput
              label="Changeable (days)"
              size="xs"
              w={130}
              min={0}
              placeholder="As the desk"
              value={item.override.changeDays ?? ''}
              onChange={(v) => put('changeDays', typeof v === 'number' ? v : undefined)}
            />
            <Choice
              label="Alert at or below"
              value={
                item.override.notifyLeadAtOrBelow === undefined
                  ? undefined
                  : String(item.override.notifyLeadAtOrBelow ?? 'never')
              }
              data={[
                { value: 'never', label: 'Never' },
                ...['1', '2', '3', '4'].map((v) => ({ value: v, label: v })),
              ]}
              set={(v) =>
                put('notifyLeadAtOrBelow', v === undefined ? undefined : v === 'never' ? null : Number(v))
              }
            />
          </>
        );
      }}
    />
  );
}

export const surveys: SettingsSpec = {
  key: 'surveys',
  refs: ['departments'],
  section: 'surveys',
  title: 'Satisfaction surveys',
  intro:
    'After a ticket is resolved (or closed) the customer gets one mail asking for a rating and a comment. The link opens a page where they confirm; one rating per ticket.',
  fields: [
    { key: 'enabled', label: 'Send satisfaction surveys', kind: 'bool' },
    {
      key: 'trigger',
      label: 'Send the survey when the ticket is',
      kind: 'select',
      options: TRIGGERS,
      required: true,
    },
    { key: 'scale', label: 'Rating scale', kind: 'select', options: SCALES, required: true },
    {
      key: 'changeDays',
      label: 'Customers may change their rating for (days)',
      kind: 'number',
      required: true,
      description: 'Counted from their first answer',
    },
    {
      key: 'notifyLeadAtOrBelow',
      label: 'Alert the team lead at or below this score',
      kind: 'number',
      nullable: true,
      description: 'Team lead, else the department manager; bad = 1 on the good/bad scale; empty: never',
    },
    {
      key: 'departments',
      label: 'Departments that differ',
      kind: 'custom',
      editor: OverridesEditor,
      from: (row) => rowsOf(row.departments),
      toApi: objectOf,
      default: [],
    },
  ],
};
