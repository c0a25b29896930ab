// Today's known exceptions to the boundary rules (.dependency-cruiser.cjs),
// each with the issue 18 bullet whose work removes it. The list only shrinks:
// scripts/boundaries.ts fails on an entry that no longer matches anything, so
// a fixed exception must leave the list in the same change. Nothing is added
// here without a bullet that removes it.

export interface KnownViolation {
  rule: string;
  /** The importing file, exactly. */
  from: string;
  /** The imported file; a prefix, so an npm package can be named by its folder. */
  to: string;
}

interface Group {
  /** The issue 18 bullet that removes these. */
  removedBy: string;
  rule: string;
  pairs: [from: string, to: string][];
}

const GROUPS: Group[] = [];

export const ALLOWLIST: KnownViolation[] = GROUPS.flatMap((g) =>
  g.pairs.map(([from, to]) => ({ rule: g.rule, from, to })),
);
