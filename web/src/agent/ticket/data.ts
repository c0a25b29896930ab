import { useQuery } from '@tanstack/react-query';
import { api } from '../../ui/api.ts';
import { formatDateTime } from '../../ui/format.ts';

/** An admin-managed list (priorities, statuses, agents…): read once a minute at most, shared by every screen. */
export function useList<T>(path: string, enabled = true) {
  return useQuery({
    queryKey: ['ref', path],
    queryFn: async () => (await api<{ items: T[] }>('GET', `/api/v1/${path}`)).items,
    staleTime: 60_000,
    enabled,
  });
}

/** The ticket's own GET (also preloaded at start, so it is built here only). */
export const ticketUrl = (number: string) => `/api/v1/tickets/${encodeURIComponent(number)}`;

export const options = (rows: { id: number; name: string }[] | undefined) =>
  (rows ?? []).map((r) => ({ value: String(r.id), label: r.name }));

export const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');
