import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, ApiError, setCsrf } from '../ui/api.ts';

// The signed-in customer, from GET /api/v1/session: it also hands back the
// session's CSRF token, so a returning visitor (cookie, but a new tab) can write.

export interface Customer {
  kind: string;
  id: number | null;
  name: string;
  email: string | null;
  /** Their organization, and whether its tickets are shared with them (the "My organization" tab). */
  organization?: { id: number; name: string; sharesTickets: boolean } | null;
}

export interface SessionOut {
  csrfToken: string;
  user: Customer;
}

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
