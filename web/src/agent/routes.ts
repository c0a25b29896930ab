// The agent panel's pages, read from the path (the server serves the panel
// for every /agent/* path, so each page survives a reload and has its own URL).

export type AgentRoute =
  | { page: 'queue'; queue: string }
  | { page: 'search'; q: string }
  | { page: 'ticket'; number: string }
  | { page: 'new' }
  | { page: 'profile' }
  | { page: 'admin'; section: string | null }
  | { page: 'dashboard' }
  | { page: 'reports'; report: string };

export function routeOf(path: string, search: string): AgentRoute {
  const parts = path
    .replace(/^\/agent\/?/, '')
    .split('/')
    .filter(Boolean)
    .map(decodeURIComponent);
  const [first, second] = parts;
  if (first === 'tickets' && second) return { page: 'ticket', number: second };
  if (first === 'new') return { page: 'new' };
  if (first === 'profile') return { page: 'profile' };
  if (first === 'dashboard') return { page: 'dashboard' };
  if (first === 'reports') return { page: 'reports', report: second ?? 'volume' };
  if (first === 'admin') return { page: 'admin', section: second ?? null };
  if (first === 'search') return { page: 'search', q: new URLSearchParams(search).get('q') ?? '' };
  if (first === 'queues' && second) return { page: 'queue', queue: second };
  return { page: 'queue', queue: 'open' };
}

export const queuePath = (queue: string) => `/agent/queues/${encodeURIComponent(queue)}`;
export const ticketPath = (number: string) => `/agent/tickets/${encodeURIComponent(number)}`;
