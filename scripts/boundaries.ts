// `npm test`'s boundary check (`npm run check:boundaries` alone): cruises src/
// and web/src with the rules of .dependency-cruiser.cjs and fails on every
// violation that scripts/boundaries.allowlist.ts does not name, and on every
// allowlist entry that no longer matches (the list only shrinks). The rules
// themselves are proven by test/unit/boundaries.test.ts, which runs
// checkBoundaries() on a small tree that breaks each of them.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { ALLOWLIST, type KnownViolation } from './boundaries.allowlist.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CONFIG = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

/** The rules' names, in the config's order. */
export const RULES: string[] = (CONFIG.forbidden ?? []).flatMap((r) => (r.name ? [r.name] : []));

export interface Violation {
  rule: string;
  from: string;
  to: string;
}

export interface BoundaryReport {
  /** Violations no allowlist entry covers. */
  violations: Violation[];
  /** Allowlist entries that matched nothing: fixed, so they must go. */
  stale: KnownViolation[];
}

const covers = (known: KnownViolation, v: Violation) =>
  known.rule === v.rule && known.from === v.from && v.to.startsWith(known.to);

/** Every violation of the rules under `root` (its `src/` and `web/src/`, those that exist), less the allowlist. */
export async function checkBoundaries(
  root = ROOT,
  allowlist: readonly KnownViolation[] = ALLOWLIST,
): Promise<BoundaryReport> {
  const dirs = ['src', 'web/src'].filter((d) => fs.existsSync(path.join(root, d)));
  const { output } = await cruise(dirs, {
    ...CONFIG.options,
    ruleSet: { forbidden: CONFIG.forbidden ?? [] },
    validate: true,
    baseDir: root,
  });
  const found: Violation[] = (output as ICruiseResult).summary.violations.map((v) => ({
    rule: v.rule.name,
    from: v.from,
    to: v.to,
  }));
  return {
    violations: found.filter((v) => !allowlist.some((k) => covers(k, v))),
    stale: allowlist.filter((k) => !found.some((v) => covers(k, v))),
  };
}

async function main(): Promise<void> {
  const why = new Map((CONFIG.forbidden ?? []).map((r) => [r.name, r.comment ?? '']));
  const { violations, stale } = await checkBoundaries();
  for (const v of violations) console.error(`✖ ${v.rule}: ${v.from} → ${v.to}\n    ${why.get(v.rule)}`);
  for (const k of stale)
    console.error(`✖ allowlist entry no longer needed (remove it): ${k.rule}: ${k.from} → ${k.to}`);
  if (violations.length || stale.length) {
    console.error(
      `\n${violations.length} boundary violation(s), ${stale.length} stale allowlist entr(ies): docs/ARCHITECTURE.md "Boundaries"`,
    );
    process.exit(1);
  }
  console.log(`Boundaries hold (${ALLOWLIST.length} known exceptions in scripts/boundaries.allowlist.ts).`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
