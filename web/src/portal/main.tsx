import { Anchor, Container, Stack, Text, Title } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Shell } from '../ui/theme.tsx';

// WIP (issue 6): the customer portal (open a ticket, sign in, my tickets).
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Shell>
      <Container size="sm" py="xl">
        <Stack>
          <Title>Support</Title>
          <Text>The customer portal is being built. Agents: </Text>
          <Anchor href="/agent/">open the agent panel</Anchor>
        </Stack>
      </Container>
    </Shell>
  </StrictMode>,
);
