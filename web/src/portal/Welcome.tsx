import { Button, Card, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { PageHeading } from '../ui/a11y.tsx';
import { SignInFields } from '../ui/parts.tsx';
import { navigate } from '../ui/path.ts';
import { LinkRequestForm, SignUpForm } from './AccountForms.tsx';
import { useTitle } from './session.ts';

/** A visitor: sign in (password or a link by email) or create an account; or open a ticket without one. */
export function Welcome({ onSignedIn }: { onSignedIn: () => void }) {
  useTitle('Sign in');
  const [tab, setTab] = useState<string | null>('signin');
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      <Card withBorder>
        <Stack>
          <PageHeading size="h3">Your tickets</PageHeading>
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="signin">Sign in</Tabs.Tab>
              <Tabs.Tab value="link">One-time link</Tabs.Tab>
              <Tabs.Tab value="signup">Create account</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="signin">
              <SignInFields url="/api/v1/portal/session" onSignedIn={onSignedIn} />
            </Tabs.Panel>
            <Tabs.Panel value="link">
              <LinkRequestForm />
            </Tabs.Panel>
            <Tabs.Panel value="signup">
              <SignUpForm />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      </Card>
      <Card withBorder style={{ alignSelf: 'start' }}>
        <Stack>
          <Title order={2} size="h3">
            Need help?
          </Title>
          <Text>Open a ticket without an account. We will email you its number and a link to follow it.</Text>
          <Button variant="light" onClick={() => navigate('/tickets/new')}>
            Open a ticket
          </Button>
        </Stack>
      </Card>
    </SimpleGrid>
  );
}
