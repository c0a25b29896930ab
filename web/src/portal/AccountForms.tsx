import { Alert, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError } from '../ui/api.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import { EmailInput, NameInput } from './fields.tsx';

// Sign-up (POST /portal/signup mails a confirmation link: the account works
// once the link is opened and the password entered again, ConfirmPage.tsx),
// "email me a sign-in link", and a customer's own change of address. Each
// answers the same whether or not the address is known, so none of them
// tells a visitor who has an account.

/** A 422's message for one field, to show under it. */
function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return undefined;
  const hit = (error.details as { path?: string; message?: string }[]).find((d) => d.path === field);
  return hit?.message;
}

const formStyle = { display: 'flex', flexDirection: 'column', gap: 'var(--mantine-spacing-md)' } as const;

/** What every account form shows once it has been sent: the mail is the next step. */
function CheckMail({ children }: { children: ReactNode }) {
  return (
    <Alert color="green" role="status" title="Check your email">
      {children}
    </Alert>
  );
}

export function SignUpForm() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signup = useMutation({
    mutationFn: () => api('POST', '/api/v1/portal/signup', { name, email, password }),
  });
  if (signup.isSuccess)
    return (
      <CheckMail>
        We sent a link to {email}. Open it within 24 hours and enter your password to finish creating your
        account. If the address already has an account, the email tells you how to sign in.
      </CheckMail>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signup.mutate();
  };
  return (
    <form onSubmit={submit} style={formStyle}>
      {signup.error && !fieldError(signup.error, 'password') && <ErrorAlert error={signup.error} />}
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

/** A signed-in customer's new address: it counts once the link mailed to it is opened. */
export function EmailChangeForm({ current }: { current: string }) {
  const [email, setEmail] = useState('');
  const change = useMutation({ mutationFn: () => api('POST', '/api/v1/me/email', { email }) });
  if (change.isSuccess)
    return (
      <CheckMail>
        We sent a link to {email}. Your address stays {current} until you open it (signed in here) within 24
        hours.
      </CheckMail>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        change.mutate();
      }}
      style={formStyle}
    >
      {change.error && !fieldError(change.error, 'email') && <ErrorAlert error={change.error} />}
      <EmailInput
        label="New email address"
        value={email}
        onChange={setEmail}
        error={fieldError(change.error, 'email')}
      />
      <Button type="submit" loading={change.isPending}>
        Send a confirmation link
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
      <CheckMail>
        If {email} has an account or tickets with us, a sign-in link is on its way. It works once, within 24
        hours.
      </CheckMail>
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
