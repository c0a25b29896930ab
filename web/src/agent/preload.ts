import { preload } from '../ui/api.ts';
import { listUrl } from './queues/queueData.ts';
import { routeOf } from './routes.ts';
import { ticketUrl } from './ticket/data.ts';

/**
 * Starts the first screen's requests before React renders: who is signed in,
 * the sidebar's counts, the priorities (their colours) and the page's own data
 * (a built-in queue's first page or the ticket), all at once instead of each
 * after the render that asks for it.
 */
export function preloadFirstScreen(): void {
  const route = routeOf(window.location.pathname, window.location.search);
  const urls: string[] = [];
  // The page's own data first: the server answers in the order asked.
  if (route.page === 'queue' && !route.queue.startsWith('saved-'))
    urls.push(listUrl(new URLSearchParams({ queue: route.queue })));
  if (route.page === 'ticket') urls.push(ticketUrl(route.number));
  preload([...urls, '/api/v1/me', '/api/v1/priorities', '/api/v1/queues']);
}
