// A real Server-Sent Events client for HTTP tests: opens the stream with
// fetch, keeps every frame, and waits for the ones a test expects.

export interface Frame {
  event: string;
  data: unknown;
}

export interface Stream {
  status: number;
  frames: Frame[];
  /** Raw text received so far (comments included). */
  text(): string;
  /** The first frame matching, or an error after `ms`. */
  waitFor(match: (f: Frame) => boolean, ms?: number): Promise<Frame>;
  close(): void;
}

export async function openStream(url: string, headers: Record<string, string>): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const frames: Frame[] = [];
  let raw = '';
  let pending = '';
  const waiters = new Set<() => void>();
  if (res.ok && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (chunk.done) break;
        raw += chunk.value;
        pending += chunk.value;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data) frames.push({ event, data: JSON.parse(data) });
        }
        for (const w of waiters) w();
      }
    })();
  }
  // Wait for the server's ": live" comment: from then on every change reaches this stream.
  if (res.ok) {
    await until(() => raw.includes(': live'), 5000, waiters, 'the stream never went live');
  }
  return {
    status: res.status,
    frames,
    text: () => raw,
    async waitFor(match, ms = 5000) {
      let found: Frame | undefined;
      await until(() => (found = frames.find(match)) !== undefined, ms, waiters, 'no matching event');
      return found!;
    },
    close: () => abort.abort(),
  };
}

function until(done: () => boolean, ms: number, waiters: Set<() => void>, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) return resolve();
    const check = () => {
      if (!done()) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve();
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`${what} within ${ms} ms`));
    }, ms);
    waiters.add(check);
  });
}
