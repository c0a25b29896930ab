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

export function navigate(to: string): void {
  window.history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
