import { AppError } from '../lib/errors.ts';

/**
 * Fixed-window counters kept in this process. Several instances behind a load
 * balancer each count on their own, so the effective limit is N × the setting;
 * the limits guard against guessing passwords and floods, where that is
 * enough (a shared store would cost a database write per request).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number) {}

  /** Counts one hit; throws 429 `rate_limited` with the seconds to wait when over `limit`. */
  hit(key: string, limit: number, windowMs: number): void {
    if (limit <= 0) return;
    const now = this.now();
    this.sweep(now, windowMs);
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count > limit) {
      const retryAfter = Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
      throw new AppError('rate_limited', 429, `Too many requests; try again in ${retryAfter} s`, {
        retryAfter,
      });
    }
  }

  /** Hits a key has in its current window, without counting one. */
  count(key: string, windowMs: number): number {
    const w = this.windows.get(key);
    return w && this.now() - w.start < windowMs ? w.count : 0;
  }

  /** Counts a hit without refusing (failures are counted after the fact). */
  add(key: string, windowMs: number): void {
    this.sweep(this.now(), windowMs);
    const w = this.windows.get(key);
    if (w && this.now() - w.start < windowMs) w.count++;
    else this.windows.set(key, { start: this.now(), count: 1 });
  }

  /** The 429 hit() throws, for a key the caller decided is over its limit. */
  refuse(key: string, windowMs: number): AppError {
    const start = this.windows.get(key)?.start ?? this.now();
    const retryAfter = Math.max(1, Math.ceil((start + windowMs - this.now()) / 1000));
    return new AppError('rate_limited', 429, `Too many requests; try again in ${retryAfter} s`, {
      retryAfter,
    });
  }

  /** Forgets a key (a successful sign-in clears its address's failures on the account). */
  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number, windowMs: number) {
    if (now - this.lastSweep < windowMs) return;
    this.lastSweep = now;
    for (const [k, w] of this.windows) if (now - w.start >= windowMs) this.windows.delete(k);
  }
}
