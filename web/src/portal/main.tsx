import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Shell } from '../ui/theme.tsx';
import { PortalApp } from './PortalApp.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Shell>
      <PortalApp />
    </Shell>
  </StrictMode>,
);
