import { useQueryClient, type Query } from '@tanstack/react-query';
import { useEffect } from 'react';

// Live updates: one EventSource per panel on GET /api/v1/events. A `ticket`
// event refreshes that ticket's view and every list on screen (queues,
// counts, searches); a `presence` event makes the ticket view beat at once.
// EventSource reconnects by itself; after a reconnect everything visible is
// refreshed, since events may have been missed meanwhile.

/**
 * Keys that never change because of a ticket event. Reports count whole
 * ranges: they refresh on their own interval, not on every ticket change.
 */
const STABLE = new Set(['me', 'ref', 'presence', 'customer', 'report']);

export function useLiveEvents(): void {
  const client = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/events');
    const changed = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A burst of events (a bulk action) becomes one refresh.
    const flush = () => {
      timer = undefined;
      const numbers = new Set(changed);
      changed.clear();
      void client.invalidateQueries({
        predicate: (q: Query) => {
          const [head, number] = q.queryKey;
          if (head === 'ticket') return numbers.has(String(number));
          return typeof head === 'string' && !STABLE.has(head);
        },
      });
    };
    source.addEventListener('ticket', (e) => {
      const { number } = JSON.parse((e as MessageEvent<string>).data) as { number: string };
      changed.add(number);
      timer ??= setTimeout(flush, 250);
    });
    source.addEventListener('presence', (e) => {
      const { number } = JSON.parse((e as MessageEvent<string>).data) as { number: string };
      void client.invalidateQueries({ queryKey: ['presence', number] });
    });
    let dropped = false;
    source.onerror = () => {
      dropped = true;
    };
    source.onopen = () => {
      if (dropped) void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      dropped = false;
    };
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [client]);
}
