// The one way the UI talks to the server: JSON over /api/v1 with the session
// cookie, and the session's CSRF token on every write. Errors keep the API's
// stable code so screens can say something precise.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For 422s: [{ path, message }] per problem, so forms can show each next to its field. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrf = sessionStorage.getItem('deskline.csrf') ?? '';

export function setCsrf(token: string): void {
  csrf = token;
  sessionStorage.setItem('deskline.csrf', token);
}

const early = new Map<string, { at: number; response: Promise<Response | null> }>();
const PRELOAD_MS = 5_000;

/**
 * Starts the GETs a page's first screen needs while its scripts are still
 * starting, so they do not wait behind /me and the first render. The first
 * api() call for the same URL within a few seconds takes the answer; an
 * answer that is not a success is asked again (e.g. before signing in).
 */
export function preload(urls: string[]): void {
  for (const url of urls) {
    const response = fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    early.set(url, { at: Date.now(), response: response.catch(() => null) });
  }
}

async function preloaded(url: string): Promise<Response | null> {
  const hit = early.get(url);
  if (!hit) return null;
  early.delete(url);
  if (Date.now() - hit.at > PRELOAD_MS) return null;
  const res = await hit.response;
  return res?.ok ? res : null;
}

/**
 * One call. `T` is the answer's type as the contract declares it
 * (`src/contract/*.contract.ts`, `import type`): `api<TicketDetailOut>('GET', …)`.
 * Without one the answer is `unknown`. Servers check every answer against the
 * same schema in development and tests, so the type is what arrives.
 */
export async function api<T = unknown>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res =
    (method === 'GET' ? await preloaded(url) : null) ??
    (await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }));
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
      ?.error;
    throw new ApiError(res.status, err?.code ?? 'http_error', err?.message ?? res.statusText, err?.details);
  }
  return json as T;
}
