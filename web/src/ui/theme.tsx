import { createTheme, MantineProvider } from '@mantine/core';
import '@mantine/core/styles.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';

const theme = createTheme({ primaryColor: 'indigo', defaultRadius: 'md' });
const queries = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } });

/** Mantine and TanStack Query around a page. */
export function Shell({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queries}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
