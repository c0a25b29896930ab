import { Alert, Button, Card, Center, Loader, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConfirmedOut } from '../../../src/contract/auth.contract.ts';
import { PageHeading } from '../ui/a11y.tsx';
import { api, ApiError, setCsrf } from '../ui/api.ts';
import { ErrorAlert, SignInFields } from '../ui/parts.tsx';
import { navigate } from '../ui/path.ts';
import { SESSION_KEY, useCustomer, useTitle } from './session.ts';

// Where the confirmation links land (POST /portal/confirm):
// /confirm/<token> finishes a sign-up: the password chosen then proves the
// person clicking is the one who signed up; /confirm-email/<token> makes a
// new address the account's, which a customer's own change confirms while
// signed in to that account (staff corrections need no sign-in).

/** Leaves the used link out of the history, so Back does not try it again. */
function forgetLink() {
  window.history.replaceState(null, '', '/');
}

function useConfirm() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { token: string; password?: string }) =>
      api<ConfirmedOut>('POST', '/api/v1/portal/confirm', body),
    onSuccess: async (s) => {
      setCsrf(s.csrfToken);
      forgetLink();
      await client.cancelQueries({ queryKey: SESSION_KEY });
      client.removeQueries({ queryKey: ['portal-tickets'] }); // lists of whoever was signed in before
      client.setQueryData(SESSION_KEY, s.user);
    },
  });
}

function Done({ title, text }: { title: string; text: string }) {
  return (
    <Card withBorder maw={480} mx="auto">
      <Stack>
        <PageHeading size="h3">{title}</PageHeading>
        <Text>{text}</Text>
        <Button onClick={() => navigate('/')}>Go to my tickets</Button>
      </Stack>
    </Card>
  );
}

function Unusable({ error }: { error: unknown }) {
  return (
    <Card withBorder maw={480} mx="auto">
      <Stack>
        <PageHeading size="h3">This confirmation link cannot be used</PageHeading>
        <ErrorAlert error={error} />
        <Text size="sm">Links work once, within 24 hours. Start again to get a new one.</Text>
        <Button variant="light" onClick={() => navigate('/')}>
          Back to the start
        </Button>
      </Stack>
    </Card>
  );
}

const invalidLink = (e: unknown) => e instanceof ApiError && e.code === 'confirmation_invalid';

/** /confirm/<token>: enter the password chosen at sign-up to finish the account. */
export function ConfirmSignupPage({ token }: { token: string }) {
  useTitle('Confirm your account');
  const session = useCustomer();
  const confirm = useConfirm();
  const [password, setPassword] = useState('');
  if (confirm.isSuccess)
    return (
      <Done title="Your account is ready" text={`You are signed in as ${confirm.data.user.email ?? ''}.`} />
    );
  if (invalidLink(confirm.error)) return <Unusable error={confirm.error} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate({ token, password });
  };
  return (
    <Card withBorder maw={480} mx="auto">
      <form onSubmit={submit}>
        <Stack>
          <PageHeading size="h3">Confirm your account</PageHeading>
          <Text size="sm">Your email address is confirmed. Enter the password you chose to finish.</Text>
          <ErrorAlert error={confirm.error} />
          <PasswordInput
            label="Password"
            required
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={confirm.isPending} disabled={session.isPending}>
            Finish
          </Button>
          <Text size="xs" c="dimmed">
            Did not sign up? Close this page: nothing happens without the password.
          </Text>
        </Stack>
      </form>
    </Card>
  );
}

/** /confirm-email/<token>: the new address becomes the account's (after signing in, if the customer asked). */
export function ConfirmEmailPage({ token }: { token: string }) {
  useTitle('Confirm your new address');
  const client = useQueryClient();
  const session = useCustomer();
  const confirm = useConfirm();
  // A link works once: send it once even when React runs the effect twice.
  const tried = useRef(false);
  useEffect(() => {
    if (session.isPending || tried.current) return;
    tried.current = true;
    confirm.mutate({ token });
  }, [confirm, session.isPending, token]);
  if (confirm.isSuccess)
    return (
      <Done
        title="Your new address is confirmed"
        text={`Your account now uses ${confirm.data.user.email ?? ''}. Sign in with it from now on.`}
      />
    );
  if (confirm.error instanceof ApiError && confirm.error.code === 'sign_in_required')
    return (
      <Card withBorder maw={480} mx="auto">
        <Stack>
          <PageHeading size="h3">Sign in to confirm your new address</PageHeading>
          <Alert color="yellow">
            Sign in to the account that asked for the change (with its current address).
          </Alert>
          <SignInFields
            url="/api/v1/portal/session"
            onSignedIn={() => {
              void client.invalidateQueries({ queryKey: SESSION_KEY });
              confirm.mutate({ token });
            }}
          />
        </Stack>
      </Card>
    );
  if (confirm.isError) return <Unusable error={confirm.error} />;
  return (
    <Center py="xl">
      <Loader aria-label="Confirming your address" />
    </Center>
  );
}
