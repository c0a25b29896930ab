import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Four tiers, one project each (`npm run test:<tier>`); `npm test` runs them all.
//   unit         pure logic: no database, no network, no server — seconds
//   integration  services, jobs, mail and the CLI against real databases (SQLite and PostgreSQL)
//   http         the API through Fastify (in-process), on both databases
//   e2e          the built UI in Chromium against a running desk (needs `vite build`)
const TIERS = ['unit', 'integration', 'http', 'e2e'];

// A test file outside the tiers would never run: refuse it.
const strays = fs
  .readdirSync(path.join(import.meta.dirname, 'test'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts') && !TIERS.includes(f.split(path.sep)[0]!));
if (strays.length) throw new Error(`test files outside test/{${TIERS.join(',')}}/: ${strays.join(', ')}`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: TIERS.map((name) => ({
      extends: true,
      // Pure tests start faster in worker threads; the others keep a process each (servers, signals, native drivers).
      test: { name, include: [`test/${name}/**/*.test.ts`], ...(name === 'unit' ? { pool: 'threads' } : {}) },
    })),
  },
});
