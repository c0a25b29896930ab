import zlib from 'node:zlib';

// Content-Encoding for the pages, which are compressed per response (each
// carries its own nonce); the hashed assets are compressed at build
// (scripts/precompress.plugin.ts) and sent by @fastify/static. Same order of
// preference as @fastify/static: br, then gzip, then the bytes as they are.

export type PageEncoding = 'br' | 'gzip' | 'identity';

/** The codings the client accepts with a non-zero q ("*" stands for any). */
function accepted(header: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    out.set(name.trim(), q ? Number(q.slice(2)) : 1);
  }
  return out;
}

export function pickEncoding(header: string | undefined): PageEncoding {
  if (!header) return 'identity';
  const codings = accepted(header);
  const ok = (name: string) => (codings.get(name) ?? codings.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

// A page is ~1 KB: a middle brotli quality compresses it almost as well as 11
// at a fraction of the time.
const BROTLI_PAGE = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };

export function encodePage(body: string, encoding: PageEncoding): Buffer | string {
  if (encoding === 'br') return zlib.brotliCompressSync(body, BROTLI_PAGE);
  if (encoding === 'gzip') return zlib.gzipSync(body);
  return body;
}
