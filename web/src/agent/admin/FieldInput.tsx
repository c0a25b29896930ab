import { words } from './columns.tsx';
import {
  ColorInput,
  JsonInput,
  MultiSelect,
  NumberInput,
  PasswordInput,
  Select,
  Switch,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import {
  issueText,
  refOptions,
  type Field,
  type FormValues,
  type Issue,
  type Option,
  type Refs,
} from './model.ts';

const optionsOf = (list: readonly (string | Option)[] = []): Option[] =>
  list.map((o) => (typeof o === 'string' ? { value: o, label: words(o) } : o));

/** One described field as a Mantine input, with the API's problems for it underneath. */
export function FieldInput(p: {
  field: Field;
  value: unknown;
  onChange: (value: unknown) => void;
  issues: Issue[] | undefined;
  refs: Refs;
  form: FormValues;
  set: (key: string, value: unknown) => void;
}) {
  const { field: f, value, onChange } = p;
  const common = {
    label: f.label,
    description: f.description,
    placeholder: f.placeholder,
    required: f.required,
    error: issueText(p.issues),
  };
  const text = (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value);
  switch (f.kind) {
    case 'custom':
      return f.editor
        ? f.editor({
            value,
            onChange,
            issues: p.issues ?? [],
            refs: p.refs,
            form: p.form,
            set: p.set,
            label: f.label,
          })
        : null;
    case 'textarea':
      return <Textarea {...common} autosize minRows={3} maxRows={14} value={String(value)} onChange={text} />;
    case 'password':
      return <PasswordInput {...common} value={String(value)} onChange={text} />;
    case 'number':
      return (
        <NumberInput
          {...common}
          value={value as number | string}
          onChange={(v) => onChange(v)}
          allowDecimal={false}
        />
      );
    case 'bool':
      return (
        <Switch
          label={f.label}
          description={f.description}
          error={common.error}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case 'color':
      return <ColorInput {...common} format="hex" value={String(value)} onChange={onChange} />;
    case 'select':
    case 'ref':
      return (
        <Select
          {...common}
          data={f.kind === 'ref' ? refOptions(p.refs, f.ref!) : optionsOf(f.options)}
          value={(value as string | null) ?? null}
          onChange={onChange}
          clearable={!f.required}
          searchable
          nothingFoundMessage="Nothing found"
        />
      );
    case 'multi':
    case 'refs':
      return (
        <MultiSelect
          {...common}
          data={f.kind === 'refs' ? refOptions(p.refs, f.ref!) : optionsOf(f.options)}
          value={value as string[]}
          onChange={onChange}
          searchable
          clearable
        />
      );
    case 'tags':
      return <TagsInput {...common} value={value as string[]} onChange={onChange} />;
    case 'json':
      return (
        <JsonInput
          {...common}
          value={String(value)}
          onChange={onChange}
          autosize
          minRows={2}
          maxRows={16}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          type={f.kind === 'email' ? 'email' : 'text'}
          value={String(value)}
          onChange={text}
        />
      );
  }
}
