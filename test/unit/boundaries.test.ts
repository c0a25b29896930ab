import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBoundaries, RULES } from '../../scripts/boundaries.ts';

// Issue 18: the layer boundaries are enforced by a tool in `npm test`. This
// proves each rule of .dependency-cruiser.cjs bites: a small tree laid out like
// the project, with the edges the layers allow (never reported) and one
// forbidden edge per rule (each reported, nothing else).

/** Files of the tree: path → imports (`type:` marks a type-only import). */
const TREE: Record<string, string[]> = {
  // Allowed edges.
  'src/modules/a/a.routes.ts': [
    './a.service.ts',
    'fastify',
    '../../http/route.ts',
    'type:../../db/schema.ts',
    '../../db/database.errors.ts',
  ],
  'src/modules/a/a.service.ts': ['./a.repository.ts', 'type:kysely', 'type:../../db/database.ts', 'zod'],
  'src/modules/a/a.repository.ts': ['kysely', '../../db/database.ts'],
  'src/http/api.routes.ts': ['../modules/a/a.routes.ts', '../modules/b/b.routes.ts'],
  'src/http/route.ts': ['fastify', '../modules/a/a.service.ts'],
  'src/http/health.routes.ts': ['../db/database.ts'],
  'src/http/rate-limit.ts': [],
  'src/jobs/runner.ts': ['../modules/a/a.service.ts', '../lib/clock.ts'],
  'src/seed/demo.ts': ['../modules/a/a.repository.ts', '../db/database.ts'],
  'src/server.ts': ['./http/api.routes.ts', './seed/demo.ts', './jobs/runner.ts', 'fastify'],
  'src/lib/deps.ts': ['../modules/a/a.repository.ts', 'type:../db/database.ts'],
  'src/lib/clock.ts': [],
  'src/db/database.ts': ['kysely'],
  'src/db/database.errors.ts': [],
  'src/db/schema.ts': [],
  'src/contract/common.ts': ['zod'],
  'src/contract/tickets.ts': ['zod', './common.ts'],
  'web/src/main.tsx': ['react', './ui.ts', '../../src/contract/tickets.ts'],
  'web/src/ui.ts': ['react'],

  // One forbidden edge per rule (listed in EXPECTED).
  'src/modules/b/b.routes.ts': ['./b.service.ts', '../a/a.repository.ts', '../a/a.routes.ts'],
  'src/modules/b/b.service.ts': [
    'kysely',
    'fastify',
    '../../jobs/runner.ts',
    '../../seed/demo.ts',
    './missing.ts',
  ],
  'src/modules/b/b.repository.ts': ['../a/a.service.ts'],
  'src/modules/b/b.smtp-listener.ts': ['../../http/rate-limit.ts'],
  'src/db/migrations/0001_initial.ts': ['../../modules/a/a.service.ts'],
  'src/lib/text.ts': ['../modules/a/a.service.ts'],
  'src/contract/leaky.ts': ['zod', 'node:crypto', '../modules/a/a.service.ts'],
  'src/http/app.ts': ['fastify', '../../web/src/ui.ts'],
  'web/src/borrowed.ts': ['type:../../src/modules/a/a.service.ts', '../../src/db/schema.ts'],
};

const EXPECTED = (
  [
    ['routes-call-services', 'src/modules/b/b.routes.ts', 'src/modules/a/a.repository.ts'],
    ['no-route-to-route', 'src/modules/b/b.routes.ts', 'src/modules/a/a.routes.ts'],
    ['services-write-no-sql', 'src/modules/b/b.service.ts', 'node_modules/kysely/index.js'],
    ['no-http-below-the-edge', 'src/modules/b/b.service.ts', 'node_modules/fastify/index.js'],
    ['no-http-below-the-edge', 'src/modules/b/b.smtp-listener.ts', 'src/http/rate-limit.ts'],
    ['modules-do-not-import-jobs', 'src/modules/b/b.service.ts', 'src/jobs/runner.ts'],
    ['tools-on-top', 'src/modules/b/b.service.ts', 'src/seed/demo.ts'],
    ['resolvable', 'src/modules/b/b.service.ts', './missing.ts'],
    ['repositories-decide-nothing', 'src/modules/b/b.repository.ts', 'src/modules/a/a.service.ts'],
    ['db-is-the-bottom', 'src/db/migrations/0001_initial.ts', 'src/modules/a/a.service.ts'],
    ['lib-is-generic', 'src/lib/text.ts', 'src/modules/a/a.service.ts'],
    ['contract-is-zod-only', 'src/contract/leaky.ts', 'crypto'], // a Node built-in
    ['contract-is-zod-only', 'src/contract/leaky.ts', 'src/modules/a/a.service.ts'],
    ['nothing-imports-the-web', 'src/http/app.ts', 'web/src/ui.ts'],
    ['web-imports-only-the-contract', 'web/src/borrowed.ts', 'src/modules/a/a.service.ts'],
    ['web-imports-only-the-contract', 'web/src/borrowed.ts', 'src/db/schema.ts'],
  ] as const
).map(([rule, from, to]) => ({ rule, from, to }) as { rule: string; from: string; to: string });

const PACKAGES = ['fastify', 'kysely', 'zod', 'react'];

describe('the boundary check', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-boundaries-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    for (const name of PACKAGES) {
      write(`node_modules/${name}/package.json`, JSON.stringify({ name, main: 'index.js' }));
      write(`node_modules/${name}/index.js`, 'module.exports = {};\n');
    }
    for (const [file, imports] of Object.entries(TREE)) {
      const lines = imports.map((spec, i) =>
        spec.startsWith('type:')
          ? `import type * as t${i} from '${spec.slice(5)}';`
          : `import * as m${i} from '${spec}';`,
      );
      const uses = imports.map((spec, i) => (spec.startsWith('type:') ? `t${i}` : `m${i}`));
      write(
        file,
        `${lines.join('\n')}\nexport type Uses = [${uses.map((u) => `typeof ${u}`).join(', ')}];\n`,
      );
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const byEdge = (a: { rule: string; from: string; to: string }, b: typeof a) =>
    `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`);

  it('reports exactly one violation per forbidden edge, and none of the allowed ones', async () => {
    const report = await checkBoundaries(root, []);
    expect(report.violations.sort(byEdge)).toEqual([...EXPECTED].sort(byEdge));
    expect(report.stale).toEqual([]);
    // Every rule of the config is proven here: a new rule needs its forbidden edge above.
    expect([...new Set(EXPECTED.map((v) => v.rule))].sort()).toEqual([...RULES].sort());
  });

  it('an allowlist entry hides its violation; one that matches nothing is reported as stale', async () => {
    const known = { rule: 'no-route-to-route', from: 'src/modules/b/b.routes.ts', to: 'src/modules/a/' };
    const fixed = { rule: 'no-route-to-route', from: 'src/modules/a/a.routes.ts', to: 'src/modules/b/' };
    const report = await checkBoundaries(root, [known, fixed]);
    expect(report.violations.sort(byEdge)).toEqual(
      EXPECTED.filter((v) => v.rule !== 'no-route-to-route').sort(byEdge),
    );
    expect(report.stale).toEqual([fixed]);
  });
});
