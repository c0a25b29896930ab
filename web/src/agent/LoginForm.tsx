import { Center, Paper, Stack, Title } from '@mantine/core';
import { SignInFields } from '../ui/parts.tsx';

export function LoginForm({ onSignedIn }: { onSignedIn: () => void }) {
  return (
    <Center h="100vh" bg="gray.0">
      <Paper w={360} p="xl" shadow="sm" withBorder>
        <Stack>
          <Title order={2}>Deskline agents</Title>
          <SignInFields url="/api/v1/session" onSignedIn={onSignedIn} />
        </Stack>
      </Paper>
    </Center>
  );
}
