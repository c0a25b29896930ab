import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PresenceOut } from '../../../../src/contract/live.contract.ts';
import { api } from '../../ui/api.ts';

export type PresentAgent = PresenceOut['others'][number];

/** Heartbeat period; the server forgets a presence 30 s after the last one. */
const BEAT_MS = 10_000;

/**
 * Tells the desk this agent is viewing (or replying to) the ticket every 10 s
 * and returns the other agents there. A `presence` live event for the ticket
 * invalidates ['presence', number], which beats at once; leaving says goodbye.
 */
export function usePresence(number: string, replying: boolean, enabled: boolean): PresentAgent[] {
  const activity = replying ? 'replying' : 'viewing';
  const beat = useQuery({
    queryKey: ['presence', number, activity],
    queryFn: async () =>
      (await api<PresenceOut>('PUT', `/api/v1/tickets/${number}/presence`, { activity })).others,
    refetchInterval: BEAT_MS,
    refetchIntervalInBackground: true,
    staleTime: 0,
    gcTime: 0,
    retry: false,
    placeholderData: keepPreviousData,
    enabled,
  });
  useEffect(
    () => () => void api('DELETE', `/api/v1/tickets/${number}/presence`).catch(() => undefined),
    [number],
  );
  return beat.data ?? [];
}
