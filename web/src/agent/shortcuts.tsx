import { Kbd, Modal, Table } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { navigate } from '../ui/path.ts';
import { queuePath, ticketPath, type AgentRoute } from './routes.ts';

// Keyboard shortcuts of the agent panel. Keys act only when the focus is not
// in a field. j / k walk the tickets of the last queue (or search) viewed,
// remembered for the browser tab; r, n and a go to the open ticket view.

export type TicketShortcut = 'reply' | 'note' | 'assign';
const TICKET_EVENT = 'deskline:shortcut';
const LAST_QUEUE = 'deskline.lastQueue';

export const SHORTCUTS: [string, string][] = [
  ['j', 'Next ticket in the last queue'],
  ['k', 'Previous ticket in the last queue'],
  ['r', 'Reply (focus the composer)'],
  ['n', 'Internal note (focus the composer)'],
  ['a', 'Assign the ticket to me'],
  ['Ctrl+Enter', 'Send the reply or note (⌘+Enter on a Mac)'],
  ['?', 'Show this list'],
];

interface LastQueue {
  path: string;
  numbers: string[];
}

export function lastQueue(): LastQueue | null {
  try {
    return JSON.parse(sessionStorage.getItem(LAST_QUEUE) ?? 'null') as LastQueue | null;
  } catch {
    return null;
  }
}

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement &&
  (el.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) ||
    el.closest('[role="dialog"]') !== null);

/** The ticket view listens for r / n / a here. */
export function useTicketShortcuts(handler: (s: TicketShortcut) => void) {
  useEffect(() => {
    const listener = (e: Event) => handler((e as CustomEvent<TicketShortcut>).detail);
    window.addEventListener(TICKET_EVENT, listener);
    return () => window.removeEventListener(TICKET_EVENT, listener);
  }, [handler]);
}

/**
 * Remembers the ticket numbers of the queue or search on screen (any query
 * answering a ticket page while one is shown), for j / k on the ticket view.
 */
function useQueueMemory(route: AgentRoute) {
  const client = useQueryClient();
  const listing = route.page === 'queue' || route.page === 'search';
  useEffect(() => {
    if (!listing) return;
    const path = window.location.pathname + window.location.search;
    const remember = (data: unknown) => {
      const items = (data as { items?: unknown } | undefined)?.items;
      if (
        !Array.isArray(items) ||
        !items.every((i) => typeof (i as { number?: unknown }).number === 'string')
      )
        return;
      const numbers = (items as { number: string }[]).map((i) => i.number);
      sessionStorage.setItem(LAST_QUEUE, JSON.stringify({ path, numbers } satisfies LastQueue));
    };
    const cache = client.getQueryCache();
    // The page's own list is the active query that answered last.
    const active = cache
      .findAll({ type: 'active' })
      .filter((q) => q.state.data !== undefined)
      .sort((a, b) => b.state.dataUpdatedAt - a.state.dataUpdatedAt);
    for (const q of active.reverse()) remember(q.state.data);
    return cache.subscribe((e) => {
      if (e.type === 'updated' && e.action.type === 'success' && e.query.getObserversCount() > 0)
        remember(e.query.state.data);
    });
  }, [client, listing, route]);
}

/** Installs the keys; returns the help modal to render. */
export function useShortcuts(route: AgentRoute) {
  const [help, setHelp] = useState(false);
  useQueueMemory(route);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === '?') return setHelp(true);
      if (e.key === 'j' || e.key === 'k') return step(route, e.key === 'j' ? 1 : -1);
      const action = ({ r: 'reply', n: 'note', a: 'assign' } as const)[e.key as 'r' | 'n' | 'a'];
      if (action && route.page === 'ticket') {
        e.preventDefault(); // The key must not land in the composer it focuses.
        window.dispatchEvent(new CustomEvent(TICKET_EVENT, { detail: action }));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [route]);
  return (
    <Modal opened={help} onClose={() => setHelp(false)} title="Keyboard shortcuts">
      <Table aria-label="Keyboard shortcuts">
        <Table.Tbody>
          {SHORTCUTS.map(([key, what]) => (
            <Table.Tr key={key}>
              <Table.Td w={60}>
                <Kbd>{key}</Kbd>
              </Table.Td>
              <Table.Td>{what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}

/** Where "Send and go to next" goes after `number`: the next ticket of the remembered queue, else that queue. */
export function pathAfter(number: string): string {
  const last = lastQueue();
  const at = last ? last.numbers.indexOf(number) : -1;
  const next = at === -1 ? undefined : last?.numbers[at + 1];
  if (next !== undefined) return ticketPath(next);
  return last?.path || queuePath('open');
}

/** Next / previous ticket of the remembered queue; from a queue page, its first / last ticket. */
function step(route: AgentRoute, by: 1 | -1) {
  const last = lastQueue();
  if (!last || last.numbers.length === 0) return;
  const at = route.page === 'ticket' ? last.numbers.indexOf(route.number) : -1;
  const next = at === -1 ? (by === 1 ? 0 : last.numbers.length - 1) : at + by;
  const number = last.numbers[next];
  if (number !== undefined) navigate(ticketPath(number));
  else if (at !== -1 && next >= last.numbers.length) navigate(last.path || queuePath('open'));
}
