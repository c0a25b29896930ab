#!/usr/bin/env node
// `npm test`: the type check, the linter, the formatting check, the layer
// boundaries (scripts/boundaries.ts), then the whole suite — every tier of
// vitest.config.ts: unit, integration and http on SQLite and PostgreSQL, e2e in
// Chromium. Stops at the first failing step; the suite's reporter ends with
// "N passed, N failed". One tier alone: `npm run test:unit` (…:integration, :http, :e2e).
import { spawnSync } from 'node:child_process';

const steps = [
  ['type check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['type check (web)', 'npx', ['tsc', '--noEmit', '-p', 'web']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']],
  ['boundaries', 'npx', ['tsx', 'scripts/boundaries.ts']],
  // The browser tests drive the built UI, as `npm start` serves it.
  ['web build', 'npx', ['vite', 'build', '--logLevel', 'warn']],
  ['tests', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
];

for (const [name, cmd, args] of steps) {
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed`);
    // Keep the closing line CI reads even when the suite never ran.
    if (name !== 'tests') console.log(`\n0 passed, 1 failed`);
    process.exit(result.status ?? 1);
  }
}
