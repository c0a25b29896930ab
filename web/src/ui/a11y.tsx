import { Title, type TitleProps } from '@mantine/core';
import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { focusOnNavigation, navigate, useLocation } from './path.ts';

// What every page shares for keyboard and screen-reader users: its one <h1>,
// which names the page in the tab title and takes the focus after a
// client-side navigation, the skip link, and links that route in place.

export const MAIN_ID = 'main-content';

/** Backgrounds of the thread's cards (a11y.css sets them per colour scheme). */
export const TINT = {
  message: 'var(--dl-tint-message)',
  reply: 'var(--dl-tint-reply)',
  note: 'var(--dl-tint-note)',
  events: 'var(--dl-tint-events)',
} as const;

/**
 * The page's <h1> (styled as `size`, an h2 by default). `documentTitle` is the
 * browser tab's title before " · Deskline".
 */
export function PageHeading({
  children,
  documentTitle,
  size = 'h2',
  ...rest
}: { children: ReactNode; documentTitle?: string } & Omit<TitleProps, 'order'>) {
  const ref = useRef<HTMLHeadingElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (documentTitle !== undefined) document.title = `${documentTitle} · Deskline`;
  }, [documentTitle]);
  useEffect(() => {
    if (!focusOnNavigation.pending || !ref.current) return;
    focusOnNavigation.pending = false;
    ref.current.focus({ preventScroll: false });
  }, [location, documentTitle]);
  return (
    <Title order={1} size={size} ref={ref} tabIndex={-1} data-page-heading {...rest}>
      {children}
    </Title>
  );
}

/** "Skip to content", the first thing Tab reaches: it moves the focus into the page's main region. */
export function SkipLink() {
  return (
    <a
      className="skip-link"
      href={`#${MAIN_ID}`}
      onClick={(e) => {
        e.preventDefault();
        const main = document.getElementById(MAIN_ID);
        const target = main?.querySelector<HTMLElement>('[data-page-heading]') ?? main;
        target?.focus();
      }}
    >
      Skip to content
    </a>
  );
}

/**
 * A plain click on an in-app link routes without a reload; a click with a
 * modifier (new tab, new window) or another button is left to the browser.
 */
export function routeOnClick(to: string) {
  return (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
}
