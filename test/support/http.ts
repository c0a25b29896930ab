import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { z } from 'zod';
import { ErrorBody } from '../../src/contract/errors.ts';
import type { Db } from '../../src/db/database.ts';
import { buildHttpApp } from '../../src/http/app.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import { createApiKey } from '../../src/modules/auth/apikeys.service.ts';
import { reportHandlers } from '../../src/modules/reports/reports.jobs.ts';
import { mailHandlers } from '../../src/modules/mail/mail.jobs.ts';
import { runnable } from '../../src/modules/outbox/outbox.registry.ts';
import type { MailTransport } from '../../src/modules/mail/mail.transport.ts';
import { ReferenceCache } from '../../src/modules/directory/reference-cache.ts';
import { putSetting, type Setting } from '../../src/modules/settings/settings.service.ts';
import { loadDesk, seedDesk, T0, type Desk } from './factories.ts';

// HTTP tests drive the real Fastify app (inject, or a real socket where the
// socket matters) over a real database seeded with the demo desk.

export const PUBLIC_URL = 'http://desk.test';

export interface Res {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  /**
   * The parsed JSON body (undefined for an empty or non-JSON one), unchecked:
   * read answers through `as` and `error`, which parse it with the contract,
   * so a test also checks the answer's shape.
   */
  json: unknown;
  /** The body parsed with a contract schema, typed by it; a body it refuses fails the test with zod's issues. */
  as<S extends z.ZodType>(schema: S): z.output<S>;
  /** The error answer, parsed with the contract's error body (so its code is in the catalog). */
  error(): ErrorBody['error'];
}

export interface Client {
  request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Res>;
  get(url: string, headers?: Record<string, string>): Promise<Res>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  del(url: string, headers?: Record<string, string>): Promise<Res>;
}

/** A signed-in client: its cookie header and CSRF token are sent with every request. */
export type Session = Client & { csrf: string; cookie: string };

export interface Harness {
  app: FastifyInstance;
  desk: Desk;
  anonymous: Client;
  /** Signs in through POST /api/v1/session (or the portal's) and sends the cookie and CSRF token after. */
  login(email: string, password: string, kind?: 'agent' | 'customer'): Promise<Session>;
  /** A portal account made as a customer makes one: sign-up, the mailed link, the password again; signed in. */
  signUp(email: string, name: string, password: string): Promise<Session>;
  /** The token of the newest account link mailed to an address (`/access/`, `/confirm/`, `/confirm-email/`), after running the jobs. */
  mailedToken(email: string, path: 'access' | 'confirm' | 'confirm-email'): Promise<string>;
  /** A client carrying a fresh API key (Bearer), created like `deskline apikey create`. */
  withKey(opts?: Parameters<typeof createApiKey>[1]): Promise<Client & { key: string; keyId: number }>;
  /** Posts raw bytes under the given Content-Type (or none), as osTicket's clients and MTAs do. */
  postRaw(
    url: string,
    payload: string | Buffer,
    contentType?: string,
    headers?: Record<string, string>,
  ): Promise<Res>;
  /** Runs every due job (mail goes to mail_log), as the worker would; returns how many ran. */
  runJobs(): Promise<number>;
  /** Runs `work` under these rate limits (the others off), then lifts them all again. */
  withRateLimits(limits: Partial<RateLimits>, work: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

type RateLimits = Setting<'rate_limits'>;
const NO_LIMITS: RateLimits = {
  windowSeconds: 60,
  loginPerAccount: 0,
  loginPerIp: 0,
  intakePerKey: 0,
  intakePerIp: 0,
};

/** An injected response as tests read it: status, headers, body and the body parsed when it is JSON. */
function toRes(res: { statusCode: number; headers: Res['headers']; body: string }): Res {
  let json: unknown;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = undefined;
  }
  const as = <S extends z.ZodType>(schema: S): z.output<S> => {
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new Error(
        `HTTP ${res.statusCode} answer breaks its schema: ${z.prettifyError(parsed.error)}\n${res.body}`,
      );
    return parsed.data;
  };
  return {
    status: res.statusCode,
    headers: res.headers,
    body: res.body,
    json,
    as,
    error: () => as(ErrorBody).error,
  };
}

export const PASSWORDS = { admin: 'deskline-admin', agent: 'deskline-agent', customer: 'deskline-customer' };

/** The demo desk over HTTP; rate limits are lifted unless a test sets its own. */
export async function startHarness(
  db: Db,
  opts: { seed?: boolean; now?: number; transport?: MailTransport } = {},
): Promise<Harness> {
  if (opts.seed !== false) await seedDesk(db, opts.now ?? T0);
  const desk = await loadDesk(db, opts.now ?? T0);
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'deskline-files-'));
  desk.deps.files = { dir: filesDir };
  // As in the server: admin changes must invalidate it, or tests here see stale names.
  desk.deps.reference = new ReferenceCache(db, desk.clock);
  await putSetting(db, 'rate_limits', NO_LIMITS, T0);
  const app = await buildHttpApp(desk.deps, { publicUrl: PUBLIC_URL });
  const client = (base: Record<string, string>): Client => {
    const request: Client['request'] = async (method, url, body, headers = {}) => {
      const res = await app.inject({
        method,
        url,
        headers: { ...base, ...headers },
        ...(body === undefined
          ? {}
          : typeof body === 'string'
            ? { payload: body }
            : { payload: body as object }),
      });
      return toRes(res);
    };
    return {
      request,
      get: (url, h) => request('GET', url, undefined, h),
      post: (url, body, h) => request('POST', url, body ?? {}, h),
      patch: (url, body, h) => request('PATCH', url, body ?? {}, h),
      del: (url, h) => request('DELETE', url, undefined, h),
    };
  };
  const sessionFrom = (res: Awaited<ReturnType<typeof app.inject>>, who: string): Session => {
    if (res.statusCode !== 200) throw new Error(`signing in ${who} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'deskline_session');
    if (!cookie) throw new Error('no session cookie');
    const csrf = (res.json() as { csrfToken: string }).csrfToken;
    const header = `deskline_session=${cookie.value}`;
    return { ...client({ cookie: header, 'x-csrf-token': csrf }), csrf, cookie: header };
  };
  const runJobs = async () => {
    const runner = new JobRunner({
      db,
      clock: desk.clock,
      handlers: runnable({
        ...reportHandlers(db),
        ...mailHandlers({
          db,
          clock: desk.clock,
          publicUrl: PUBLIC_URL,
          dataDir: filesDir,
          ...(opts.transport ? { transport: opts.transport } : {}),
        }),
      }),
      log: desk.log,
    });
    let total = 0;
    for (let ran = await runner.runOnce(); ran > 0; ran = await runner.runOnce()) total += ran;
    return total;
  };
  const mailedToken = async (email: string, path: 'access' | 'confirm' | 'confirm-email') => {
    await runJobs();
    const mails = await db
      .selectFrom('mail_log')
      .select('body')
      .where('to_address', '=', email.toLowerCase())
      .orderBy('id', 'desc')
      .execute();
    const pattern = new RegExp(`/${path}/([\\w-]+)`);
    for (const m of mails) {
      const hit = pattern.exec(m.body);
      if (hit) return hit[1]!;
    }
    throw new Error(`no /${path}/ link was mailed to ${email}`);
  };
  return {
    app,
    desk,
    anonymous: client({}),
    async login(email, password, kind = 'agent') {
      const url = kind === 'agent' ? '/api/v1/session' : '/api/v1/portal/session';
      return sessionFrom(await app.inject({ method: 'POST', url, payload: { email, password } }), email);
    },
    mailedToken,
    async signUp(email, name, password) {
      const asked = await app.inject({
        method: 'POST',
        url: '/api/v1/portal/signup',
        payload: { email, name, password },
      });
      if (asked.statusCode !== 202)
        throw new Error(`sign-up ${email} failed: ${asked.statusCode} ${asked.body}`);
      const token = await mailedToken(email, 'confirm');
      const payload = { token, password };
      return sessionFrom(await app.inject({ method: 'POST', url: '/api/v1/portal/confirm', payload }), email);
    },
    async withKey(o = { name: 'test key' }) {
      const { id, key } = await createApiKey(desk.deps, o);
      return { ...client({ authorization: `Bearer ${key}` }), key, keyId: id };
    },
    async postRaw(url, payload, contentType, headers = {}) {
      const res = await app.inject({
        method: 'POST',
        url,
        payload,
        headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers },
      });
      return toRes(res);
    },
    runJobs,
    async withRateLimits(limits, work) {
      const set = async (value: RateLimits) => {
        await putSetting(db, 'rate_limits', value, desk.clock.now());
        desk.deps.reference?.invalidate();
      };
      await set({ ...NO_LIMITS, ...limits });
      try {
        await work();
      } finally {
        await set(NO_LIMITS);
      }
    },
    async close() {
      await app.close();
      fs.rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
