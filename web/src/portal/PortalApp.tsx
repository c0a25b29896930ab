import { Anchor, Button, Center, Container, Group, Loader, Text, UnstyledButton } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { MAIN_ID, SkipLink } from '../ui/a11y.tsx';
import { api } from '../ui/api.ts';
import { ErrorAlert } from '../ui/parts.tsx';
import { navigate, usePath } from '../ui/path.ts';
import { AccessLinkPage } from './AccessLinkPage.tsx';
import { AccountPage } from './AccountPage.tsx';
import { ConfirmEmailPage, ConfirmSignupPage } from './ConfirmPage.tsx';
import { MyTickets } from './MyTickets.tsx';
import { NewTicketForm } from './NewTicketForm.tsx';
import { PortalTicket } from './PortalTicket.tsx';
import { SESSION_KEY, useCustomer } from './session.ts';
import { SurveyPage } from './SurveyPage.tsx';
import { Welcome } from './Welcome.tsx';

// The customer portal. Pages by URL (the server answers /, /tickets/* and
// /access/*, /confirm/*, /confirm-email/* and /account with this page):
// / my tickets (or sign-in for a visitor), /tickets/new open a ticket (with
// or without an account), /tickets/<number> a ticket's public thread,
// /access/<token> the sign-in link from an email, /confirm/<token> and
// /confirm-email/<token> the links that confirm a sign-up or a new address,
// /account the customer's address, /survey/<token> the satisfaction
// survey's link (no account needed).

export function PortalApp() {
  const client = useQueryClient();
  const path = usePath();
  const me = useCustomer();
  const customer = me.data ?? null;
  const token = /^\/access\/([^/]+)/.exec(path)?.[1];
  const opened = /^\/tickets\/([^/]+)/.exec(path)?.[1];
  const survey = /^\/survey\/([^/?]+)/.exec(path)?.[1];
  const signup = /^\/confirm\/([^/?]+)/.exec(path)?.[1];
  const email = /^\/confirm-email\/([^/?]+)/.exec(path)?.[1];

  let page;
  if (token) page = <AccessLinkPage token={token} />;
  else if (survey) page = <SurveyPage token={survey} />;
  else if (signup) page = <ConfirmSignupPage token={signup} />;
  else if (email) page = <ConfirmEmailPage token={email} />;
  else if (me.isPending)
    page = (
      <Center py="xl">
        <Loader aria-label="Loading" />
      </Center>
    );
  else if (me.isError) page = <ErrorAlert error={me.error} />;
  else if (opened === 'new')
    page = (
      <NewTicketForm
        customer={customer}
        onDone={(number) => {
          void client.invalidateQueries({ queryKey: ['portal-tickets'] });
          navigate(customer ? `/tickets/${number}` : '/');
        }}
      />
    );
  else if (!customer)
    page = <Welcome onSignedIn={() => client.invalidateQueries({ queryKey: SESSION_KEY })} />;
  else if (path === '/account') page = <AccountPage customer={customer} />;
  else if (opened) page = <PortalTicket number={opened} />;
  else page = <MyTickets customer={customer} />;

  return (
    <Container size="md" px="sm" py="md">
      <SkipLink />
      <Group component="header" justify="space-between" mb="lg" wrap="nowrap" gap="xs">
        <UnstyledButton onClick={() => navigate('/')} aria-label="Support home">
          <Group gap={8} wrap="nowrap">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <Text fw={700} size="lg">
              Support
            </Text>
          </Group>
        </UnstyledButton>
        {customer && (
          <Group gap={6} wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="sm" mr="xs">
              {customer.name}
            </Text>
            <Button size="xs" variant="light" onClick={() => navigate('/tickets/new')}>
              Open a ticket
            </Button>
            <Button
              size="xs"
              variant="subtle"
              onClick={async () => {
                await api('DELETE', '/api/v1/session');
                client.clear();
                client.setQueryData(SESSION_KEY, null);
                navigate('/');
              }}
            >
              Sign out
            </Button>
          </Group>
        )}
      </Group>
      <main id={MAIN_ID}>{page}</main>
      {customer && path !== '/account' && (
        // Below the page rather than in the header, which must fit a 390 px phone.
        <Group component="footer" justify="center" mt="xl">
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={() => navigate('/account')}>
            My account
          </Anchor>
        </Group>
      )}
    </Container>
  );
}
