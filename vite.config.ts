import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './scripts/precompress.plugin.ts';
import { CSP_NONCE_PLACEHOLDER } from './src/http/security-headers.ts';

// The web UI: two pages built from web/ into dist/web, served by the Deskline
// server (src/http/web.routes.ts): the customer portal at / and the agent
// panel at /agent. All data comes from /api/v1.
export default defineConfig({
  root: path.resolve('web'),
  // precompress: .br and .gz next to each asset, served by web.routes.ts.
  plugins: [react(), precompress()],
  // The server replaces the placeholder with a fresh nonce per page (Content-Security-Policy).
  html: { cspNonce: CSP_NONCE_PLACEHOLDER },
  build: {
    outDir: path.resolve(process.env.DESKLINE_WEB_DIR ?? 'dist/web'),
    emptyOutDir: true,
    rollupOptions: {
      input: { portal: path.resolve('web/index.html'), agent: path.resolve('web/agent/index.html') },
    },
  },
});
