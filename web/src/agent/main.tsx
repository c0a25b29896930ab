import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Shell } from '../ui/theme.tsx';
import { AgentApp } from './AgentApp.tsx';
import { preloadFirstScreen } from './preload.ts';

preloadFirstScreen();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Shell>
      <AgentApp />
    </Shell>
  </StrictMode>,
);
