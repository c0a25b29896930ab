import { Alert, Button, Card, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, ApiError, setCsrf } from '../ui/api.ts';

export function SignInForm({ onSignedIn, onNew }: { onSignedIn: () => void; onNew: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const s = await api<{ csrfToken: string }>('POST', '/api/v1/portal/session', { email, password });
      setCsrf(s.csrfToken);
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Wrong email or password' : String(err));
    }
  }
  return (
    <Group align="flex-start" grow>
      <Card withBorder component="form" onSubmit={submit}>
        <Stack>
          <Title order={3}>Sign in</Title>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit">Sign in</Button>
        </Stack>
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={3}>Need help?</Title>
          <Text>Open a ticket without an account; we will email you its number.</Text>
          <Button variant="light" onClick={onNew}>
            Open a ticket
          </Button>
        </Stack>
      </Card>
    </Group>
  );
}
