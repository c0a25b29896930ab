import { Center, Paper, Stack } from '@mantine/core';
import { PageHeading } from '../ui/a11y.tsx';
import { SignInFields } from '../ui/parts.tsx';

export function LoginForm({ onSignedIn }: { onSignedIn: () => void }) {
  return (
    <Center component="main" h="100vh" bg="var(--mantine-color-default-hover)">
      <Paper w={360} p="xl" shadow="sm" withBorder>
        <Stack>
          <PageHeading documentTitle="Agent panel">Deskline agents</PageHeading>
          <SignInFields url="/api/v1/session" onSignedIn={onSignedIn} />
        </Stack>
      </Paper>
    </Center>
  );
}
