import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createApiKey } from '../../src/modules/auth/apikeys.service.ts';
import { seedDesk } from '../support/factories.ts';
import { postTicket, waitForStatus } from '../support/load-clients.ts';
import { spawnServe } from '../support/server.ts';
import { testLog } from '../support/log.ts';

// Item 11 of issue 17: SQLite's disk full. A real `deskline serve` keeps its
// data directory on a small tmpfs that the test fills with a file and then
// frees. Mounting needs root, which the development machines and CI have: if
// the mount fails, the test fails (never skips).
//
// The read-only case is not tested here: a file system with files open for
// writing cannot be remounted read-only (EBUSY), so a running server cannot
// be put in that state; SQLITE_READONLY is classified with SQLITE_FULL
// (src/db/database.errors.ts) and answered the same way.

/** Writes zeros into `file` until the file system has no room left. */
function fillDisk(file: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const size of [1 << 20, 4096, 512]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

describe('SQLite with its data directory full', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-full-'));
  const file = path.join(dir, 'deskline.db');
  let mounted = false;
  let server: Awaited<ReturnType<typeof spawnServe>>;
  let key: string;

  beforeAll(async () => {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dir], { stdio: 'pipe' });
      mounted = true;
    } catch (err) {
      throw new Error(
        `This test mounts a small tmpfs as the data directory and needs root (mount -t tmpfs): ${String(err)}`,
      );
    }
    const h = openDatabase(`sqlite:${file}`);
    await migrateToLatest(h.db);
    await seedDesk(h.db);
    ({ key } = await createApiKey({ db: h.db, clock: systemClock, log: testLog }, { name: 'full' }));
    await h.close();
    server = await spawnServe(`sqlite:${file}`, { DESKLINE_DATA_DIR: dir }, true);
    await waitForStatus(`${server.url}/readyz`, 200);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (mounted) execFileSync('umount', [dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 + Retry-After and /readyz 503 while full, and recovers when space returns', async () => {
    const before = await postTicket(server.url, key, 'before the disk filled up');
    expect(before.status).toBe(201);

    const filler = path.join(dir, 'filler');
    fillDisk(filler);
    // One at a time, then twelve at once (their transactions share one group commit).
    const alone = [await postTicket(server.url, key, 'while full, alone')];
    const together = await Promise.all(
      Array.from({ length: 12 }, (_, i) => postTicket(server.url, key, `while full ${i}`)),
    );
    for (const res of [...alone, ...together]) {
      expect([res.status, Number(res.retryAfter) > 0]).toEqual([503, true]);
      expect(JSON.parse(res.text).error.code).toBe('database_unavailable');
    }
    await waitForStatus(`${server.url}/readyz`, 503, 5_000);
    expect([server.child.exitCode, server.child.signalCode], server.stderr()).toEqual([null, null]);

    fs.rmSync(filler);
    await waitForStatus(`${server.url}/readyz`, 200, 10_000);
    const after = await postTicket(server.url, key, 'after space returned');
    expect(after.status).toBe(201);

    const h = openDatabase(`sqlite:${file}`);
    try {
      const subjects = (await h.db.selectFrom('tickets').select('subject').execute()).map((r) => r.subject);
      expect(subjects).toContain('before the disk filled up');
      expect(subjects).toContain('after space returned');
      expect(subjects.filter((s) => s.startsWith('while full'))).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);
});
