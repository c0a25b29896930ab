import { useEffect, useState } from 'react';

// A tiny router: the page path, and navigation without a reload (the server
// serves index.html for every page path, so a reload lands on the same page).

export function usePath(): string {
  return useLocation().path;
}

/** The path and the query string, updated on every navigation. */
export function useLocation(): { path: string; search: string } {
  const read = () => ({ path: window.location.pathname, search: window.location.search });
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return location;
}

/**
 * Set by a client-side navigation (a link, back or forward) and taken by the
 * next page heading that renders, which moves the focus to itself: a screen
 * reader announces the new page and Tab continues from its top. A first load
 * leaves the focus where the browser puts it.
 */
export const focusOnNavigation = { pending: false };
window.addEventListener('popstate', () => (focusOnNavigation.pending = true));

export function navigate(to: string): void {
  window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
