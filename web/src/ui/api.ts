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

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
      ?.error;
    throw new ApiError(res.status, err?.code ?? 'http_error', err?.message ?? res.statusText, err?.details);
  }
  return json as T;
}
