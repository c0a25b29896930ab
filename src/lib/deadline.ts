/**
 * Waits for `work` for at most `ms` milliseconds. Resolves true when it settled
 * (fulfilled or rejected) in time, false when time ran out; never rejects, so a
 * shutdown step that fails or hangs cannot hold up the steps after it.
 */
export function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, ms));
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    work.then(done, done);
  });
}
