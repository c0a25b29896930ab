import { Text, Title } from '@mantine/core';
import type { Me } from './AgentApp.tsx';

export function ProfilePage({ me }: { me: Me }) {
  return (
    <>
      <Title order={2}>Profile</Title>
      <Text>{me.name}</Text>
    </>
  );
}
