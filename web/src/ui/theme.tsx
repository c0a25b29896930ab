import {
  createTheme,
  DEFAULT_THEME,
  Drawer,
  MantineProvider,
  Menu,
  Modal,
  type CSSVariablesResolver,
  type MantineColorsTuple,
} from '@mantine/core';
import '@mantine/core/styles.css';
import './a11y.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';

// AA contrast (WCAG 2.2, 4.5:1 for text) in both colour schemes. Filled
// buttons and badges use shade 8 with white text, light badges shade 9 on
// shade 1, links indigo 9 (indigo 3 when dark). Mantine's shade 8 is dark
// enough for indigo, blue, grape and pink; the palettes whose 8 and 9 are not
// (green, teal, cyan, lime, yellow, orange) get darker 8 and 9, found by
// darkening the originals until white on 8 and 9 on 1 reach 4.7:1, and red's
// 8 is dark enough for "late" text on a selected (indigo-tinted) row.
const darker = (name: keyof typeof DEFAULT_THEME.colors, s8: string, s9: string): MantineColorsTuple =>
  [...(DEFAULT_THEME.colors[name] ?? []).slice(0, 8), s8, s9] as unknown as MantineColorsTuple;

const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'md',
  colors: {
    red: darker('red', '#b52525', '#a61e1e'),
    green: darker('green', '#278338', '#237133'),
    teal: darker('teal', '#08835e', '#077151'),
    cyan: darker('cyan', '#0b7e91', '#0a6c7e'),
    lime: darker('lime', '#4e800b', '#446e0a'),
    yellow: darker('yellow', '#a86200', '#984f00'),
    orange: darker('orange', '#c54c0a', '#b03a0c'),
  },
  components: {
    // Mantine's close buttons are bare icons: they need a name.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close panel' } } }),
    // A menu holds menu items only: no focus placeholder inside it (the first item takes the focus).
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
  },
});

// Secondary ("dimmed") text and errors, readable on white, on the note and
// reply tints and on the dark scheme's surfaces.
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-anchor': 'var(--mantine-color-indigo-9)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-anchor': 'var(--mantine-color-indigo-3)',
    '--mantine-color-error': 'var(--mantine-color-red-4)',
  },
});

const queries = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } });
// The page's Content-Security-Policy nonce (the server writes it into this meta tag): the
// <style> elements Mantine injects carry it, or the policy would refuse them.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
const styleNonce = nonce ? () => nonce : undefined;
// Mantine's modals lock scrolling with react-remove-scroll, whose <style> takes its nonce from
// this global (the get-nonce convention, read by several libraries).
if (nonce) (window as Window & { __webpack_nonce__?: string }).__webpack_nonce__ = nonce;

/** Mantine (light or dark as the system prefers) and TanStack Query around a page. */
export function Shell({ children }: { children: ReactNode }) {
  return (
    <MantineProvider
      theme={theme}
      defaultColorScheme="auto"
      cssVariablesResolver={contrast}
      {...(styleNonce ? { getStyleNonce: styleNonce } : {})}
    >
      <QueryClientProvider client={queries}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
