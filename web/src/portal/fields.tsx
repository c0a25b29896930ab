import { TextInput } from '@mantine/core';
import { EMAIL_INPUT } from '../ui/parts.tsx';

// The portal's name and email fields: the sign-up, the sign-in link request
// and the visitor's new-ticket form ask for them the same way.

interface FieldProps {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  /** A refusal for this field (a 422's message), shown under it. */
  error?: string | undefined;
}

export function NameInput({ value, onChange, label = 'Your name', error }: FieldProps) {
  return (
    <TextInput
      label={label}
      required
      autoComplete="name"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
    />
  );
}

export function EmailInput({ value, onChange, label = 'Email', error }: FieldProps) {
  return (
    <TextInput
      label={label}
      {...EMAIL_INPUT}
      required
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
    />
  );
}
