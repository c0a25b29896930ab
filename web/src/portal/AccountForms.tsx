import { Alert, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../ui/api.ts';
import { formErrors } from '../ui/errorText.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import { EmailInput, NameInput } from './fields.tsx';

// Sign-up (POST /portal/signup mails a confirmation link: the account works
// once the link is opened and the password entered again, ConfirmPage.tsx),
// "email me a sign-in link", and a customer's own change of address. Each
// answers the same whether or not the address is known, so none of them
// tells a visitor who has an account.

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
  const errors = formErrors(signup.error, { name: 'name', email: 'email', password: 'password' });
  return (
    <form onSubmit={submit} style={formStyle}>
      <ErrorAlert text={errors.banner} />
      <NameInput value={name} onChange={setName} error={errors.at.name} />
      <EmailInput value={email} onChange={setEmail} error={errors.at.email} />
      <PasswordInput
        label="Password"
        description="At least 10 characters"
        required
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={errors.at.password}
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
  const errors = formErrors(change.error, { email: 'email' });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        change.mutate();
      }}
      style={formStyle}
    >
      <ErrorAlert text={errors.banner} />
      <EmailInput label="New email address" value={email} onChange={setEmail} error={errors.at.email} />
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
  const errors = formErrors(send.error, { email: 'email' });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
      style={formStyle}
    >
      <ErrorAlert text={errors.banner} />
      <Text size="sm" c="dimmed">
        No password needed: we email you a link that signs you in.
      </Text>
      <Stack gap="md">
        <EmailInput value={email} onChange={setEmail} error={errors.at.email} />
        <Button type="submit" loading={send.isPending}>
          Email me a link
        </Button>
      </Stack>
    </form>
  );
}
