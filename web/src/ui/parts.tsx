import { Alert, Button, Card, Group, PasswordInput, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { SessionOut } from '../../../src/contract/auth.contract.ts';
import { api, ApiError, setCsrf } from './api.ts';
import { formatDateTime, formatRelative } from './format.ts';
import { formErrors, plainError } from './errorText.ts';

// Pieces both the agent panel and the portal use.

/**
 * The props of every email field. Not `type="email"`: browsers refuse
 * internationalized addresses there (`jdöe@mächine.example`, RFC 6531), which
 * the desk takes; the server checks the address and says what is wrong.
 */
export const EMAIL_INPUT = {
  type: 'text',
  inputMode: 'email',
  autoComplete: 'email',
  autoCapitalize: 'off',
  spellCheck: false,
} as const;

/** An API failure as a plain sentence (errorText.ts); `text` when a form has already worked it out. */
export function ErrorAlert({ error, text }: { error?: unknown; text?: string | null }) {
  const shown = text ?? (error ? plainError(error) : null);
  if (!shown) return null;
  return (
    <Alert color="red" role="alert">
      {shown}
    </Alert>
  );
}

/** A refused sign-in, the same words whichever of the two was wrong. */
const WRONG = 'Wrong email or password.';

/** Email + password against a sign-in endpoint; keeps the session's CSRF token. */
export function SignInFields({ url, onSignedIn }: { url: string; onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const shown = formErrors(error, { email: 'email', password: 'password' });
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCsrf((await api<SessionOut>('POST', url, { email, password })).csrfToken);
      onSignedIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      onSubmit={submit}
      style={{ display: 'flex', flexDirection: 'column', gap: 'var(--mantine-spacing-md)' }}
    >
      <ErrorAlert text={error instanceof ApiError && error.status === 401 ? WRONG : shown.banner} />
      <TextInput
        label="Email"
        {...EMAIL_INPUT}
        required
        value={email}
        onChange={(e) => setEmail(e.currentTarget.value)}
        error={shown.at.email}
      />
      <PasswordInput
        label="Password"
        required
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={shown.at.password}
      />
      <Button type="submit" loading={busy}>
        Sign in
      </Button>
    </form>
  );
}

/** One entry of a ticket's thread. */
export function ThreadCard(p: {
  kind: string;
  author: string;
  at: string;
  bg: string;
  children: ReactNode;
  /** Below the text, e.g. the entry's attachments. */
  footer?: ReactNode;
}) {
  return (
    <Card withBorder bg={p.bg} p="sm" data-kind={p.kind}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {p.author}
        </Text>
        <Text size="xs" c="dimmed">
          <When iso={p.at} />
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {p.children}
      </Text>
      {p.footer}
    </Card>
  );
}

/**
 * An instant in the one format (format.ts); with `now`, relative ("5 min ago")
 * with the exact time on hover.
 */
export function When({ iso, now }: { iso: string; now?: number }) {
  const exact = formatDateTime(iso);
  if (now === undefined) return <time dateTime={iso}>{exact}</time>;
  return (
    <time dateTime={iso} title={exact}>
      {formatRelative(iso, now)}
    </time>
  );
}
