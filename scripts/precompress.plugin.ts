import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

// Writes a .br and a .gz next to every built asset worth compressing, once per
// build, so the server (src/http/web.routes.ts, preCompressed) sends bytes it
// never has to compress per request. The pages (*.html) are left out: each is
// sent with a nonce of its own, so the server compresses them per response.

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Below this, a compressed copy saves less than its headers and a file read cost. */
export const MIN_BYTES = 1024;
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt|map)$/;

async function compressFile(file: string): Promise<void> {
  const raw = await fs.promises.readFile(file);
  if (raw.length < MIN_BYTES) return;
  const [br, gz] = await Promise.all([
    brotli(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
    gzip(raw, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ]);
  // A copy that is not smaller would only cost the browser a decode.
  if (br.length < raw.length) await fs.promises.writeFile(`${file}.br`, br);
  if (gz.length < raw.length) await fs.promises.writeFile(`${file}.gz`, gz);
}

/** Every compressible file under dir (recursive). */
export function compressibleFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && COMPRESSIBLE.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

export async function precompressDir(dir: string): Promise<void> {
  await Promise.all(compressibleFiles(dir).map(compressFile));
}

export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'deskline-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await precompressDir(outDir);
    },
  };
}
