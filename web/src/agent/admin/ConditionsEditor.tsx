import { MultiSelect, Select, Text, TextInput } from '@mantine/core';
import { refOptions, type EditorProps, type Refs } from './model.ts';
import { Rows, splitList } from './Rows.tsx';

// A routing rule's conditions, readable: field, comparison, value. The drafts
// keep lists as the text the admin types; conditionsOf turns them into the
// API's shape on save, and the API's 422 shows under the row it names.

const TEXT_FIELDS: [string, string][] = [
  ['from', 'Sender address'],
  ['from_domain', 'Sender domain'],
  ['to', 'Recipient'],
  ['subject', 'Subject'],
  ['body', 'Message'],
  ['subject_or_body', 'Subject or message'],
  ['channel', 'Channel'],
];
const ID_FIELDS: Record<string, [string, string]> = {
  help_topic: ['Help topic', 'help-topics'],
  organization: ['Organization', 'organizations'],
  priority: ['Priority', 'priorities'],
};
const FIELD_OPTIONS = [
  ...TEXT_FIELDS.map(([value, label]) => ({ value, label })),
  ...Object.entries(ID_FIELDS).map(([value, [label]]) => ({ value, label })),
  { value: 'field', label: 'Form field' },
  { value: 'time', label: 'Time of day' },
];
const TEXT_OPS = [
  ['equals', 'is'],
  ['not_equals', 'is not'],
  ['contains', 'contains'],
  ['not_contains', 'does not contain'],
  ['starts_with', 'starts with'],
  ['ends_with', 'ends with'],
  ['matches', 'matches regex'],
  ['not_matches', 'does not match regex'],
  ['in', 'is one of'],
  ['not_in', 'is none of'],
].map(([value, label]) => ({ value: value!, label: label! }));
const ID_OPS = [
  { value: 'is', label: 'is' },
  { value: 'is_not', label: 'is not' },
  { value: 'in', label: 'is one of' },
  { value: 'not_in', label: 'is none of' },
];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const isList = (op: string) => op === 'in' || op === 'not_in';

interface ConditionDraft {
  field: string;
  op: string;
  text: string;
  ids: string[];
  key: string;
  from: string;
  to: string;
  days: string[];
}
type Api = Record<string, unknown>;

export function conditionDrafts(list: unknown): ConditionDraft[] {
  return ((list as Api[] | undefined) ?? []).map((c) => {
    const v = c.value;
    const window = (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}) as Api;
    return {
      field: String(c.field),
      op: String(c.op),
      text: Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : '',
      ids: (Array.isArray(v) ? v : typeof v === 'number' ? [v] : []).map(String),
      key: typeof c.key === 'string' ? c.key : '',
      from: String(window.from ?? '09:00'),
      to: String(window.to ?? '17:00'),
      days: (window.days as string[] | undefined) ?? [],
    };
  });
}

export function conditionsOf(drafts: unknown): Api[] {
  return ((drafts as ConditionDraft[] | undefined) ?? []).map((d) => {
    if (d.field === 'time')
      return {
        field: 'time',
        op: 'between',
        value: { from: d.from, to: d.to, ...(d.days.length ? { days: d.days } : {}) },
      };
    if (d.field in ID_FIELDS) {
      const ids = d.ids.map(Number);
      return { field: d.field, op: d.op, value: isList(d.op) ? ids : (ids[0] ?? 0) };
    }
    const value = isList(d.op) ? splitList(d.text) : d.text;
    return d.field === 'field'
      ? { field: 'field', key: d.key, op: d.op, value }
      : { field: d.field, op: d.op, value };
  });
}

const BLANK_CONDITION: ConditionDraft = {
  field: 'subject',
  op: 'contains',
  text: '',
  ids: [],
  key: '',
  from: '09:00',
  to: '17:00',
  days: [],
};

export function ConditionsEditor(p: EditorProps) {
  return (
    <Rows
      label={p.label}
      items={(p.value as ConditionDraft[] | undefined) ?? []}
      onChange={p.onChange}
      blank={BLANK_CONDITION}
      issues={p.issues}
      addLabel="Add condition"
      empty="No conditions: the rule applies to every ticket."
      row={(c, set, i) => (
        <>
          <Select
            aria-label={`Condition ${i + 1} field`}
            data={FIELD_OPTIONS}
            value={c.field}
            w={170}
            size="xs"
            allowDeselect={false}
            onChange={(field) => {
              const f = field ?? 'subject';
              const op = f === 'time' ? 'between' : f in ID_FIELDS ? 'is' : 'contains';
              set({ ...c, field: f, op, ids: [] });
            }}
          />
          <ConditionValue c={c} set={set} i={i} refs={p.refs} />
        </>
      )}
    />
  );
}

function ConditionValue({
  c,
  set,
  i,
  refs,
}: {
  c: ConditionDraft;
  set: (c: ConditionDraft) => void;
  i: number;
  refs: Refs;
}) {
  const n = i + 1;
  if (c.field === 'time')
    return (
      <>
        <TextInput
          aria-label={`Condition ${n} from`}
          size="xs"
          w={70}
          value={c.from}
          onChange={(e) => set({ ...c, from: e.currentTarget.value })}
        />
        <Text size="xs" mt={6}>
          to
        </Text>
        <TextInput
          aria-label={`Condition ${n} to`}
          size="xs"
          w={70}
          value={c.to}
          onChange={(e) => set({ ...c, to: e.currentTarget.value })}
        />
        <MultiSelect
          aria-label={`Condition ${n} days`}
          size="xs"
          placeholder="every day"
          data={WEEKDAYS}
          value={c.days}
          onChange={(days) => set({ ...c, days })}
          style={{ flex: 1 }}
        />
      </>
    );
  const id = ID_FIELDS[c.field];
  const op = (
    <Select
      aria-label={`Condition ${n} comparison`}
      data={id ? ID_OPS : TEXT_OPS}
      value={c.op}
      w={150}
      size="xs"
      allowDeselect={false}
      onChange={(o) => set({ ...c, op: o ?? c.op })}
    />
  );
  if (id) {
    const data = refOptions(refs, id[1]);
    return (
      <>
        {op}
        {isList(c.op) ? (
          <MultiSelect
            aria-label={`Condition ${n} value`}
            size="xs"
            data={data}
            value={c.ids}
            onChange={(ids) => set({ ...c, ids })}
            style={{ flex: 1 }}
          />
        ) : (
          <Select
            aria-label={`Condition ${n} value`}
            size="xs"
            data={data}
            value={c.ids[0] ?? null}
            onChange={(v) => set({ ...c, ids: v ? [v] : [] })}
            style={{ flex: 1 }}
          />
        )}
      </>
    );
  }
  return (
    <>
      {c.field === 'field' && (
        <TextInput
          aria-label={`Condition ${n} form field`}
          placeholder="field key"
          size="xs"
          w={110}
          value={c.key}
          onChange={(e) => set({ ...c, key: e.currentTarget.value })}
        />
      )}
      {op}
      <TextInput
        aria-label={`Condition ${n} value`}
        size="xs"
        placeholder={isList(c.op) ? 'values, comma-separated' : 'value'}
        value={c.text}
        onChange={(e) => set({ ...c, text: e.currentTarget.value })}
        style={{ flex: 1 }}
      />
    </>
  );
}
