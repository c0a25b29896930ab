import type { Db } from './database.ts';

export type ProbeResult = { ok: true } | { ok: false; error: string };

/**
 * Proves that the database accepts a write: a committed upsert of one row in
 * `health_checks`. A SELECT still answers on a full disk, a read-only file
 * system or a read-only replica; a ROLLBACK on SQLite never reaches the disk.
 *
 * Load balancers ask every few seconds, so it stays cheap: one probe runs at a
 * time (callers meanwhile share it), its answer is reused for `reuseMs`, and a
 * probe that has not answered within `deadlineMs` counts as a failure (it may
 * finish later; the next caller waits for it rather than piling up another).
 */
export class WriteProbe {
  private last: { at: number; result: ProbeResult } | undefined;
  private running: Promise<ProbeResult> | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: { deadlineMs: number; reuseMs: number } = { deadlineMs: 2_000, reuseMs: 1_000 },
  ) {}

  check(): Promise<ProbeResult> {
    if (this.last && Date.now() - this.last.at < this.options.reuseMs)
      return Promise.resolve(this.last.result);
    this.running ??= this.write().finally(() => (this.running = undefined));
    const ms = this.options.deadlineMs;
    return withDeadline(this.running, ms, { ok: false, error: `no write committed within ${ms / 1000} s` });
  }

  private async write(): Promise<ProbeResult> {
    const now = Date.now();
    let result: ProbeResult;
    try {
      await this.db
        .insertInto('health_checks')
        .values({ name: 'readyz', checked_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet({ checked_at: now }))
        .execute();
      result = { ok: true };
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    this.last = { at: Date.now(), result };
    return result;
  }
}

/** `work`'s answer, or `late` if it has none within `ms` (the work goes on unobserved). */
export function withDeadline<T>(work: Promise<T>, ms: number, late: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
