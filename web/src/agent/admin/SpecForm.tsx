import { Alert, Button, Fieldset, Group, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../ui/api.ts';
import { ErrorAlert } from '../../ui/parts.tsx';
import { FieldInput } from './FieldInput.tsx';
import {
  initialValues,
  issuesOf,
  toBody,
  type Field,
  type FormValues,
  type Issue,
  type Refs,
  type Row,
} from './model.ts';

/**
 * A form from field descriptions: starts from a row (or the fields' defaults),
 * sends the body it builds, and puts a 422's problems next to the fields they
 * name (the rest above the form).
 */
export function SpecForm(p: {
  fields: Field[];
  row: FormValues | null;
  refs: Refs;
  submitLabel: string;
  submit: (body: FormValues) => Promise<Row>;
  onDone: (result: Row) => void;
  /** Empties the form after a successful submit (a password form). */
  resetOnDone?: boolean;
}) {
  const [values, setValues] = useState<FormValues>(() => initialValues(p.fields, p.row));
  const [local, setLocal] = useState<Issue[]>([]);
  const save = useMutation({
    mutationFn: p.submit,
    onSuccess: (result) => {
      if (p.resetOnDone) setValues(initialValues(p.fields, p.row));
      p.onDone(result);
    },
  });
  const problems = issuesOf(
    local.length > 0 ? new ApiError(422, 'validation_failed', '', local) : save.error,
    p.fields,
  );
  const set = (key: string, v: unknown) => setValues((old) => ({ ...old, [key]: v }));
  function submit(e: FormEvent) {
    e.preventDefault();
    const { body, issues } = toBody(p.fields, values);
    setLocal(issues);
    if (issues.length === 0) save.mutate(body);
  }
  // A 422 whose every problem sits at a field needs no banner.
  const banner =
    save.error &&
    !(
      save.error instanceof ApiError &&
      save.error.status === 422 &&
      (problems.byField.size > 0 || problems.rest.length > 0)
    );
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {banner && <ErrorAlert error={save.error} />}
        {problems.rest.length > 0 && (
          <Alert color="red" role="alert">
            {problems.rest.map((i) => `${i.path}: ${i.message}`).join('; ')}
          </Alert>
        )}
        {groupsOf(p.fields).map((g) => {
          const inputs = g.fields.map((f) => (
            <FieldInput
              key={f.key}
              field={f}
              value={values[f.key]}
              onChange={(v) => set(f.key, v)}
              issues={problems.byField.get(f.key)}
              refs={p.refs}
              form={values}
              set={set}
            />
          ));
          return g.title ? (
            <Fieldset key={g.title} legend={g.title}>
              <Stack gap="sm">{inputs}</Stack>
            </Fieldset>
          ) : (
            inputs
          );
        })}
        <Group justify="flex-end" pt="sm">
          <Button type="submit" loading={save.isPending}>
            {p.submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Runs of fields: ungrouped ones alone, consecutive fields of one group together. */
function groupsOf(fields: Field[]): { title: string | undefined; fields: Field[] }[] {
  const out: { title: string | undefined; fields: Field[] }[] = [];
  for (const f of fields) {
    const last = out[out.length - 1];
    if (last && f.group !== undefined && last.title === f.group) last.fields.push(f);
    else out.push({ title: f.group, fields: [f] });
  }
  return out;
}
