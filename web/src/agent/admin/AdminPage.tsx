import { Text, Title } from '@mantine/core';
import type { Me } from '../AgentApp.tsx';

export function AdminPage({ section }: { me: Me; section: string | null }) {
  return (
    <>
      <Title order={2}>Admin</Title>
      <Text>{section ?? 'Settings'}</Text>
    </>
  );
}
