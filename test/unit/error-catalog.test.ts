import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_TABLES,
  ERROR_CATALOG,
  ERROR_CODES,
  REFERENCED_TABLES,
  RESOURCES,
  type ErrorCode,
} from '../../src/contract/errors.ts';
import type { AdminTable } from '../../src/modules/directory/directory.admin.service.ts';
import * as directory from '../../src/modules/directory/directory.admin-tables.ts';
import * as mail from '../../src/modules/mail/mail.admin-tables.ts';
import * as routing from '../../src/modules/routing/routing.admin-tables.ts';
import * as sla from '../../src/modules/sla/sla.admin-tables.ts';

// Issue 18: the error-code catalog lists every code the server answers with,
// at the status it is answered with. The types make AppError take catalog
// codes only; this scans the source for the codes actually thrown (literals
// given to AppError, invalid, notFound, the HTTP layer's own answers) so a
// status that disagrees with the catalog, or a catalog entry nothing throws,
// fails here.

const SRC = path.resolve(import.meta.dirname, '../../src');
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? files(path.join(dir, e.name))
        : e.name.endsWith('.ts')
          ? [path.join(dir, e.name)]
          : [],
    );
const sources = files(SRC)
  .map((f) => ({ file: path.relative(SRC, f), text: fs.readFileSync(f, 'utf8') }))
  .filter((s) => !s.file.startsWith(`contract${path.sep}`));

/** Every (code, status) thrown or answered with a literal code, and where. */
function thrown(): { code: string; status: number; file: string }[] {
  const found: { code: string; status: number; file: string }[] = [];
  const scan = (re: RegExp, status: (m: RegExpExecArray) => number, code = (m: RegExpExecArray) => m[1]!) => {
    for (const { file, text } of sources)
      for (const m of text.matchAll(new RegExp(re, 'g')))
        found.push({ code: code(m), status: status(m), file });
  };
  scan(/new AppError\(\s*'([a-z_]+)',\s*(\d{3})/, (m) => Number(m[2]));
  scan(/\binvalid\(\s*'([a-z_]+)'/, () => 422);
  scan(
    /\bnotFound\(\s*'([a-z_]+)'/,
    () => 404,
    (m) => `${m[1]}_not_found`,
  );
  scan(/\bsuper\(\s*'([a-z_]+)',\s*(\d{3})/, (m) => Number(m[2]));
  // The HTTP layer's own answers: `.code(status).send({ error: { code: '…' } })`.
  scan(
    /\.code\((\d{3})\)\s*\.send\(\{ error: \{ code: '([a-z_]+)'/,
    (m) => Number(m[1]),
    (m) => m[2]!,
  );
  return found;
}

describe('the error-code catalog', () => {
  it('lists every code thrown in src/, with the status it is thrown with', () => {
    const all = thrown();
    expect(all.length).toBeGreaterThan(100);
    const wrong = all.filter(({ code, status }) => ERROR_CATALOG[code as ErrorCode]?.[0] !== status);
    expect(wrong).toEqual([]);
  });

  it('lists the lifecycle refusals, the framework errors and the generated codes at their statuses', () => {
    const mutation = sources.find((s) => s.file.endsWith('tickets.change.service.ts'))!.text;
    const block = mutation.slice(mutation.indexOf('const STATUS_FOR'), mutation.indexOf('const MESSAGES'));
    const lifecycle = [...block.matchAll(/(\w+): (\d{3}),/g)].map((m) => [
      m[1] === 'not_allowed' ? 'forbidden' : m[1],
      Number(m[2]),
    ]);
    expect(lifecycle).toHaveLength(6);
    for (const [code, status] of lifecycle) expect(ERROR_CATALOG[code as ErrorCode][0]).toBe(status);

    const http = sources.find((s) => s.file === path.join('http', 'errors.ts'))!.text;
    for (const m of http.matchAll(/: '([a-z_]+)',$/gm)) expect(ERROR_CODES).toContain(m[1]);
    for (const code of ['bad_url', 'validation_failed', 'internal_error', 'response_invalid'] as const)
      expect(ERROR_CODES).toContain(code);

    for (const r of RESOURCES) expect(ERROR_CATALOG[`${r}_not_found`]).toEqual([404, expect.any(String)]);
  });

  it('names the admin tables as the server declares them; `_in_use` exactly for those other rows refer to', () => {
    const tables = [directory, mail, routing, sla].flatMap((m) =>
      Object.values(m).filter((v): v is AdminTable => typeof v === 'object' && v !== null && 'usedBy' in v),
    );
    expect(tables.map((t) => t.name).sort()).toEqual([...ADMIN_TABLES].sort());
    expect(
      tables
        .filter((t) => t.usedBy.length > 0)
        .map((t) => t.name)
        .sort(),
    ).toEqual([...REFERENCED_TABLES].sort());
  });

  it('lists nothing the server never answers: each fixed code appears in src/', () => {
    const text = sources.map((s) => s.text).join('\n');
    const fixed = ERROR_CODES.filter((c) => !/_(not_found|exists|in_use)$/.test(c));
    expect(fixed.filter((c) => !text.includes(`'${c}'`))).toEqual([]);
  });
});
