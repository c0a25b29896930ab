import { Center, Loader } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../ui/api.ts';
import { LoginForm } from './LoginForm.tsx';
import { QueuePage } from './QueuePage.tsx';

export interface Me {
  kind: string;
  id: number | null;
  name: string;
  email: string | null;
}

/** Signed in (the session cookie) → the queues; otherwise the sign-in form. */
export function AgentApp() {
  const client = useQueryClient();
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<Me>('GET', '/api/v1/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
  });
  if (me.isPending)
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  if (!me.data) return <LoginForm onSignedIn={() => client.invalidateQueries({ queryKey: ['me'] })} />;
  return <QueuePage me={me.data} onSignedOut={() => client.setQueryData(['me'], null)} />;
}
