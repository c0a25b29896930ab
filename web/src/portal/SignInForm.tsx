import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { SignInFields } from '../ui/parts.tsx';

export function SignInForm({ onSignedIn, onNew }: { onSignedIn: () => void; onNew: () => void }) {
  return (
    <Group align="flex-start" grow>
      <Card withBorder>
        <Stack>
          <Title order={3}>Sign in</Title>
          <SignInFields url="/api/v1/portal/session" onSignedIn={onSignedIn} />
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
