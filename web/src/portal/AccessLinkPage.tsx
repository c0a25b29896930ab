import { Button, Card, Center, Loader, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { RedeemedOut } from '../../../src/contract/auth.contract.ts';
import { PageHeading } from '../ui/a11y.tsx';
import { api, setCsrf } from '../ui/api.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import { navigate } from '../ui/path.ts';
import { LinkRequestForm } from './AccountForms.tsx';
import { SESSION_KEY, useTitle } from './session.ts';

/** Leaves the used link out of the history, so Back does not try it again. */
function replaceWith(to: string) {
  window.history.replaceState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** /access/<token>: the link from the email signs the customer in and opens the ticket it was sent for. */
export function AccessLinkPage({ token }: { token: string }) {
  useTitle('Signing in');
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  // A link works once: redeem it once even when React runs the effect twice.
  const tried = useRef(false);
  useEffect(() => {
    if (tried.current) return;
    tried.current = true;
    api<RedeemedOut>('POST', '/api/v1/portal/access-links/redeem', { token })
      .then(async (s) => {
        setCsrf(s.csrfToken);
        // The visitor's own "who am I" may still be in flight; its "nobody" must not win.
        await client.cancelQueries({ queryKey: SESSION_KEY });
        client.setQueryData(SESSION_KEY, s.user);
        client.removeQueries({ queryKey: ['portal-tickets'] }); // lists of whoever was signed in before
        replaceWith(s.ticket ? `/tickets/${s.ticket}` : '/');
      })
      .catch(setError);
  }, [client, token]);
  if (!error)
    return (
      <Center py="xl">
        <Loader aria-label="Signing you in" />
      </Center>
    );
  return (
    <Card withBorder maw={480} mx="auto">
      <Stack>
        <PageHeading size="h3">This sign-in link cannot be used</PageHeading>
        <ErrorAlert error={error} />
        <Text size="sm">Links work once, within 24 hours. Ask for a new one:</Text>
        <LinkRequestForm />
        <Button variant="subtle" onClick={() => navigate('/')}>
          Sign in with a password instead
        </Button>
      </Stack>
    </Card>
  );
}
