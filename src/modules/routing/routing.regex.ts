import vm from 'node:vm';

// Admin-written regular expressions run against customer-written text, and a
// backtracking pattern such as `(a+)+$` can spin for minutes on 40 characters.
// A RegExp cannot be interrupted from JavaScript, but a vm `timeout` can: its
// watchdog terminates whatever runs in the isolate, irregexp included. A call
// into a context costs ~0.1 ms, so all regex tests of one evaluation share ONE
// call; only when that call runs out of time are the rest retried one by one.

/** Texts are cut to this many UTF-16 units first: even a linear pattern should not scan a 1 MiB body. */
export const REGEX_TEXT_LIMIT = 64 * 1024;
export const DEFAULT_REGEX_TIMEOUT_MS = 50;

export const NO_MATCH = 0;
export const MATCH = 1;
export const TIMED_OUT = 2;
export type RegexVerdict = typeof NO_MATCH | typeof MATCH | typeof TIMED_OUT;
const PENDING = -1;

/** Null when `source` compiles with the 'i' flag (the flag the engine uses), else the engine's complaint. */
export function regexProblem(source: string): string | null {
  try {
    new RegExp(source, 'i');
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// Runs inside the context. `run` writes each verdict as soon as it is known, so
// after a timeout the results array still holds everything that finished. A
// thrown error (not a timeout: termination cannot be caught) counts as no match.
const SETUP = `'use strict';
const patterns = sources.map((s) => new RegExp(s, 'i'));
delete globalThis.sources;
globalThis.run = function (job) {
  const { pairs, texts, out, from, to } = job;
  for (let i = from; i < to; i++) {
    try {
      out[i] = patterns[pairs[2 * i]].test(texts[pairs[2 * i + 1]]) ? 1 : 0;
    } catch {
      out[i] = 0; // a pattern that throws on this text does not match it
    }
  }
};`;

interface Job {
  pairs: readonly number[];
  texts: readonly string[];
  out: Int8Array;
  from: number;
  to: number;
}

/** A set's patterns, compiled once inside their own vm context. */
export class RegexSandbox {
  private readonly context: vm.Context;
  private readonly call = new vm.Script('run(job)');
  /** The budget of a single test retried alone after a batch timed out. */
  private readonly retryMs: number;

  constructor(
    sources: readonly string[],
    private readonly timeoutMs = DEFAULT_REGEX_TIMEOUT_MS,
  ) {
    // No eval or wasm in there: only patterns and strings ever enter.
    this.context = vm.createContext(
      { sources: [...sources] },
      { codeGeneration: { strings: false, wasm: false } },
    );
    new vm.Script(SETUP).runInContext(this.context, { timeout: 1000 });
    this.retryMs = Math.max(1, Math.ceil(timeoutMs / 5));
  }

  /**
   * Tests pattern `pairs[2i]` against `texts[pairs[2i + 1]]` for every i and
   * returns one verdict per pair (MATCH, NO_MATCH or TIMED_OUT).
   */
  run(pairs: readonly number[], texts: readonly string[]): Int8Array {
    const count = pairs.length / 2;
    const out = new Int8Array(count).fill(PENDING);
    const capped = texts.map((t) => (t.length > REGEX_TEXT_LIMIT ? t.slice(0, REGEX_TEXT_LIMIT) : t));
    const job: Job = { pairs, texts: capped, out, from: 0, to: count };
    if (this.runJob(job, this.timeoutMs)) return out;
    // The first pending test was running when time ran out; the ones before it
    // finished. It and everything after it run alone on a smaller budget, so a
    // slow-but-fine test that merely inherited a short remainder is not blamed.
    const first = out.indexOf(PENDING);
    for (let i = first < 0 ? count : first; i < count; i++) {
      if (!this.runJob({ ...job, from: i, to: i + 1 }, this.retryMs)) out[i] = TIMED_OUT;
    }
    return out;
  }

  /** False when the budget ran out. */
  private runJob(job: Job, timeout: number): boolean {
    this.context.job = job;
    try {
      this.call.runInContext(this.context, { timeout });
      return true;
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return false;
      throw e;
    } finally {
      this.context.job = null;
    }
  }
}
