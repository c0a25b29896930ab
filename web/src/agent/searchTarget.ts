import type { TicketDetailOut } from '../../../src/contract/tickets.contract.ts';
import { api, ApiError } from '../ui/api.ts';
import { ticketUrl } from './ticket/data.ts';

/** A query that is a ticket number as agents type it: `100032` or `#100032`. */
const NUMBER = /^#?(\d{1,32})$/;

/**
 * Where the search box goes: the ticket itself when the text is the exact
 * number of a ticket the agent may see (the way agents search most), else the
 * search results. A number that is no visible ticket is searched as text
 * (it may be in a subject or an order number in a message).
 */
export async function searchTarget(text: string): Promise<{ url: string; ticket?: TicketDetailOut }> {
  const q = text.trim();
  if (!q) return { url: '/agent/' };
  const results = { url: `/agent/search?q=${encodeURIComponent(q)}` };
  const number = NUMBER.exec(q)?.[1];
  if (!number) return results;
  try {
    // The ticket read here is handed to the view (its query cache), not read twice.
    const ticket = await api<TicketDetailOut>('GET', ticketUrl(number));
    return { url: `/agent/tickets/${number}`, ticket };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return results;
    throw err;
  }
}
