import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, setCsrf } from '../ui/api.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import { EmailInput, NameInput } from './fields.tsx';
import type { SessionOut } from './session.ts';

// Sign-up (an account at once: POST /portal/signup signs in; an address the
// desk already knows must prove it owns the mailbox with a link first) and
// "email me a sign-in link" (the same answer whether or not the address is known).

/** A 422's message for one field, to show under it. */
function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return undefined;
  const hit = (error.details as { path?: string; message?: string }[]).find((d) => d.path === field);
  return hit?.message;
}

const formStyle = { display: 'flex', flexDirection: 'column', gap: 'var(--mantine-spacing-md)' } as const;

export function SignUpForm({ onSignedIn, onUseLink }: { onSignedIn: () => void; onUseLink: () => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signup = useMutation({
    mutationFn: () => api<SessionOut>('POST', '/api/v1/portal/signup', { name, email, password }),
    onSuccess: (s) => {
      setCsrf(s.csrfToken);
      onSignedIn();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signup.mutate();
  };
  const known = signup.error instanceof ApiError && signup.error.code === 'account_exists';
  return (
    <form onSubmit={submit} style={formStyle}>
      {known ? (
        <Alert color="yellow" role="alert">
          We already know {email}: sign in with your password, or{' '}
          <Anchor component="button" type="button" onClick={onUseLink}>
            get a sign-in link by email
          </Anchor>{' '}
          and set a password after.
        </Alert>
      ) : (
        signup.error && !fieldError(signup.error, 'password') && <ErrorAlert error={signup.error} />
      )}
      <NameInput value={name} onChange={setName} />
      <EmailInput value={email} onChange={setEmail} error={fieldError(signup.error, 'email')} />
      <PasswordInput
        label="Password"
        description="At least 10 characters"
        required
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={fieldError(signup.error, 'password')}
      />
      <Button type="submit" loading={signup.isPending}>
        Create account
      </Button>
    </form>
  );
}

export function LinkRequestForm() {
  const [email, setEmail] = useState('');
  const send = useMutation({
    mutationFn: () => api('POST', '/api/v1/portal/access-links', { email }),
  });
  if (send.isSuccess)
    return (
      <Alert color="green" role="status" title="Check your email">
        If {email} has an account or tickets with us, a sign-in link is on its way. It works once, within 24
        hours.
      </Alert>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
      style={formStyle}
    >
      <ErrorAlert error={send.error} />
      <Text size="sm" c="dimmed">
        No password needed: we email you a link that signs you in.
      </Text>
      <Stack gap="md">
        <EmailInput value={email} onChange={setEmail} />
        <Button type="submit" loading={send.isPending}>
          Email me a link
        </Button>
      </Stack>
    </form>
  );
}
