import { createTheme, MantineProvider } from '@mantine/core';
import '@mantine/core/styles.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';

const theme = createTheme({ primaryColor: 'indigo', defaultRadius: 'md' });
const queries = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } });
// The page's Content-Security-Policy nonce (the server writes it into this meta tag): the
// <style> elements Mantine injects carry it, or the policy would refuse them.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
const styleNonce = nonce ? () => nonce : undefined;
// Mantine's modals lock scrolling with react-remove-scroll, whose <style> takes its nonce from
// this global (the get-nonce convention, read by several libraries).
if (nonce) (window as Window & { __webpack_nonce__?: string }).__webpack_nonce__ = nonce;

/** Mantine and TanStack Query around a page. */
export function Shell({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} {...(styleNonce ? { getStyleNonce: styleNonce } : {})}>
      <QueryClientProvider client={queries}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
