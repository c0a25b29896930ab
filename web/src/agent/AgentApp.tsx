import { Center, Loader } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { CurrentUser } from '../../../src/contract/auth.contract.ts';
import { api, ApiError } from '../ui/api.ts';
import { AgentLayout } from './AgentLayout.tsx';
import { LoginForm } from './LoginForm.tsx';

/** Who is signed in (GET /api/v1/me). */
export type Me = CurrentUser;

/** Signed in (the session cookie) → the panel; otherwise the sign-in form. */
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
  return (
    <AgentLayout
      me={me.data}
      onSignedOut={() => {
        client.clear();
        client.setQueryData(['me'], null);
      }}
    />
  );
}
