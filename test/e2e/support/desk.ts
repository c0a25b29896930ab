import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/server.ts';

// `deskline start` (demo desk on SQLite, web UI, worker, scheduler) on a free
// port with a throw-away data directory, as a new user runs it.

export async function startDemoDesk(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-e2e-'));
  const port = await freePort();
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, [path.resolve('bin/deskline.js'), 'start'], {
    env: {
      ...inherited,
      DESKLINE_DATA_DIR: dataDir,
      PORT: String(port),
      SMTP_LISTEN_PORT: '0',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  for (let i = 0; i < 600 && !out.includes('Stop with Ctrl+C'); i++)
    await new Promise((r) => setTimeout(r, 100));
  if (!out.includes('Stop with Ctrl+C')) {
    child.kill('SIGKILL');
    throw new Error(`deskline start did not come up:\n${out}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
