import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// Content-addressed files: <dir>/attachments/ab/cd/<sha256>. Written to a temp
// file and renamed, so a half-written file never appears under its name, and
// the same content is stored once however often it is attached.

export const fileDir = (dir: string) => path.join(dir, 'attachments');

export function pathFor(dir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256 digest');
  return path.join(fileDir(dir), sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** Stores the bytes and returns their sha256; a no-op when the file is already there. */
export async function storeFile(dir: string, data: Buffer): Promise<string> {
  const sha256 = crypto.createHash('sha256').update(data).digest('hex');
  const target = pathFor(dir, sha256);
  if (fs.existsSync(target)) return sha256;
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.promises.writeFile(tmp, data);
    // Two writers of the same content both rename; the second replaces identical bytes.
    await fs.promises.rename(tmp, target);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  return sha256;
}
