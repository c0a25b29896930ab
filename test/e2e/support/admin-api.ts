import type { Browser } from 'playwright-core';

// The API as a signed-in staff member from the test's side (its own browser
// context, so its cookie never mixes with a page's): what a test needs to set
// up or look behind the UI, e.g. read the mail log.

export interface StaffApi {
  get<T>(path: string): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

export async function staffApi(
  browser: Browser,
  url: string,
  email = 'admin@deskline.local',
  password = 'deskline-admin',
): Promise<StaffApi> {
  const context = await browser.newContext();
  const signIn = await context.request.post(`${url}/api/v1/session`, { data: { email, password } });
  if (!signIn.ok()) throw new Error(`staff sign-in failed: ${signIn.status()}`);
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const check = async <T>(res: Awaited<ReturnType<typeof context.request.get>>): Promise<T> => {
    if (!res.ok()) throw new Error(`${res.url()}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    get: async (path) => check(await context.request.get(`${url}${path}`)),
    patch: async (path, body) =>
      check(
        await context.request.patch(`${url}${path}`, { data: body, headers: { 'x-csrf-token': csrfToken } }),
      ),
    post: async (path, body) =>
      check(
        await context.request.post(`${url}${path}`, { data: body, headers: { 'x-csrf-token': csrfToken } }),
      ),
  };
}

export interface OutboxMail {
  ticket: string | null;
  to: string;
  subject: string;
  body: string;
  kind: string | null;
}

/** The mail log's entries for one recipient or ticket, waiting until `until` holds (the worker sends within seconds). */
export async function waitForMail(
  staff: StaffApi,
  filter: { to?: string; ticket?: string },
  until: (mails: OutboxMail[]) => boolean,
  timeoutMs = 20_000,
): Promise<OutboxMail[]> {
  const query = new URLSearchParams({ limit: '50', ...filter }).toString();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await staff.get<{ items: OutboxMail[] }>(`/api/v1/mail/outbox?${query}`);
    if (until(items)) return items;
    if (Date.now() > deadline) throw new Error(`mail for ${query} never arrived: ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
