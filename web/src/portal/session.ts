import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { CurrentUser, SessionOut } from '../../../src/contract/auth.contract.ts';
import { api, ApiError, setCsrf } from '../ui/api.ts';

// The signed-in customer, from GET /api/v1/session: it also hands back the
// session's CSRF token, so a returning visitor (cookie, but a new tab) can write.

/** The signed-in customer (its organization, and whether it shares its tickets: the "My organization" tab). */
export type Customer = CurrentUser;

export const SESSION_KEY = ['portal-session'];

/** The customer signed in, null for a visitor (or a staff session, which the portal does not use). */
export function useCustomer() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<Customer | null> => {
      try {
        const s = await api<SessionOut>('GET', '/api/v1/session');
        if (s.user.kind !== 'customer') return null;
        if (s.csrfToken) setCsrf(s.csrfToken);
        return s.user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
  });
}

/** The page's title in the browser tab. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Support`;
  }, [title]);
}
