import { Button, Container, Group, Loader, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError } from '../ui/api.ts';
import { navigate, usePath } from '../ui/path.ts';
import { MyTickets } from './MyTickets.tsx';
import { NewTicketForm } from './NewTicketForm.tsx';
import { PortalTicket } from './PortalTicket.tsx';
import { SignInForm } from './SignInForm.tsx';

// WIP (issue 6): the customer portal. Open a ticket (help topic first), sign
// in, my tickets, a ticket's public thread with reply / confirm / reopen.
// Sign-up, access links, organization tickets and attachments come next.

export interface Customer {
  kind: string;
  name: string;
  email: string | null;
}

export function PortalApp() {
  const client = useQueryClient();
  const path = usePath();
  const [writing, setWriting] = useState(false);
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const who = await api<Customer>('GET', '/api/v1/me');
        return who.kind === 'customer' ? who : null;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
  });
  const opened = /^\/tickets\/([^/]+)/.exec(path)?.[1];
  const signedIn = me.data ?? null;
  return (
    <Container size="md" py="lg">
      <Group justify="space-between" mb="lg">
        <Title order={2} style={{ cursor: 'pointer' }} onClick={() => navigate('/')}>
          Support
        </Title>
        {signedIn && (
          <Group>
            <Button variant="light" onClick={() => setWriting(true)}>
              Open a ticket
            </Button>
            <Button
              variant="subtle"
              onClick={async () => {
                await api('DELETE', '/api/v1/session');
                client.setQueryData(['me'], null);
                navigate('/');
              }}
            >
              Sign out
            </Button>
          </Group>
        )}
      </Group>
      {me.isPending ? (
        <Loader aria-label="Loading" />
      ) : writing ? (
        <NewTicketForm
          customer={signedIn}
          onDone={(number) => {
            setWriting(false);
            navigate(signedIn ? `/tickets/${number}` : '/');
            void client.invalidateQueries({ queryKey: ['my-tickets'] });
          }}
        />
      ) : !signedIn ? (
        <SignInForm
          onSignedIn={() => client.invalidateQueries({ queryKey: ['me'] })}
          onNew={() => setWriting(true)}
        />
      ) : opened ? (
        <PortalTicket number={opened} />
      ) : (
        <MyTickets />
      )}
    </Container>
  );
}
