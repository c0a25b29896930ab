import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { ACTORS, SAMPLE_BODIES, type ActorName, type ContractDesk } from './contract-desk.ts';
import type { Answer, Operation, Param } from './contract.ts';
import { invalid, ODD_TEXT, valid, withHints, type GenContext, type JsonSchema } from './json-arbitrary.ts';

// Requests for one operation: who asks (every kind of caller), which objects
// the path names (existing, missing, malformed), and a query and body that
// are valid, or invalid in one way, or not JSON at all.

type PathPick = { kind: 'existing'; index: number } | { kind: 'missing' } | { kind: 'raw'; text: string };

export interface Plan {
  actor: ActorName;
  mode: 'valid' | 'badPath' | 'badQuery' | 'badBody' | 'rawBody';
  path: Record<string, PathPick>;
  query: Record<string, unknown>;
  body?: unknown;
  raw?: { payload: string; contentType?: string };
}

/** A request ready to send, and how to show it in a report. */
export interface Sent {
  plan: Plan;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Requests that end the caller's own sessions: they run as throwaway accounts. */
const SELF_ENDING = new Set(['DELETE /api/v1/session', 'POST /api/v1/me/password']);

// Staff and admins are most callers; every other kind still asks every operation.
const ACTOR_WEIGHTS: Record<ActorName, number> = {
  admin: 4,
  adminKey: 3,
  agent: 3,
  customer: 3,
  agentKey: 1,
  readKey: 1,
  anonymous: 2,
  badKey: 1,
  noCsrf: 1,
};

const RAW_BODIES: { payload: string; contentType?: string }[] = [
  { payload: '{"subject": ', contentType: 'application/json' },
  { payload: '', contentType: 'application/json' },
  { payload: '{"__proto__": {"polluted": true}}', contentType: 'application/json' },
  { payload: `${'['.repeat(400)}${']'.repeat(400)}`, contentType: 'application/json' },
  { payload: '{"a": 1}', contentType: 'text/plain' },
  { payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' },
  { payload: '{"a": 1}', contentType: 'application/json; charset=utf-8' },
  { payload: '\u0000\u0001\u0002' },
];

/** Malformed path segments, already encoded: too long, not UTF-8, NUL, odd Unicode, not a number. */
const BAD_SEGMENTS = [
  'x'.repeat(3000),
  '%E0%A4%A',
  '%C0%AF',
  '%00',
  '..%2F..%2Fetc',
  '-1',
  '0',
  '1.5',
  '1e400',
  '99999999999999999999',
  ...ODD_TEXT.map((t) => encodeURIComponent(t.replace(/[\uD800-\uDFFF]/g, '?'))),
];

export const querySchema = (params: Param[]): JsonSchema => ({
  type: 'object',
  properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
  required: params.filter((p) => p.required).map((p) => p.name),
});

export function planArb(op: Operation, ctx: GenContext): fc.Arbitrary<Plan> {
  const actor = fc.oneof(...ACTORS.map((a) => ({ weight: ACTOR_WEIGHTS[a], arbitrary: fc.constant(a) })));
  const path = fc.record(
    Object.fromEntries(
      op.pathParams.map((p) => [
        p.name,
        fc.oneof(
          { weight: 4, arbitrary: fc.nat(50).map((index): PathPick => ({ kind: 'existing', index })) },
          { weight: 1, arbitrary: fc.constant<PathPick>({ kind: 'missing' }) },
        ),
      ]),
    ),
  );
  const qSchema = querySchema(op.queryParams);
  // Whole queries and bodies known to name real things ("?GET /path", "@POST /path") are tried too.
  // An empty query, where nothing is required, is the most common list request of all.
  const queryHints = [...ctx.hints(`?${op.key}`), ...(op.queryParams.some((p) => p.required) ? [] : [{}])];
  const query = op.queryParams.length
    ? (withHints(queryHints, qSchema, ctx, valid(qSchema, ctx)) as fc.Arbitrary<Record<string, unknown>>)
    : fc.constant({});
  const json = op.body?.media === 'application/json';
  const body = op.body
    ? json
      ? withHints(ctx.hints(`@${op.key}`), op.body.schema, ctx, valid(op.body.schema, ctx))
      : fc.oneof(fc.constant(SAMPLE_BODIES[op.body.media] ?? ''), fc.string())
    : fc.constant(undefined);
  const modes: Plan['mode'][] = ['valid', 'valid', 'valid'];
  if (op.pathParams.length) modes.push('badPath');
  if (op.queryParams.length) modes.push('badQuery');
  if (op.body && json) modes.push('badBody', 'badBody');
  if (BODY_METHODS.has(op.method)) modes.push('rawBody');
  return fc
    .record({ actor, mode: fc.constantFrom(...modes), path, query, body })
    .chain((p) => mutate(op, p as Plan, qSchema));
}

function mutate(op: Operation, p: Plan, qSchema: JsonSchema): fc.Arbitrary<Plan> {
  switch (p.mode) {
    case 'badPath': {
      const names = op.pathParams.map((x) => x.name);
      return fc
        .record({ name: fc.constantFrom(...names), text: fc.constantFrom(...BAD_SEGMENTS) })
        .map(({ name, text }) => ({ ...p, path: { ...p.path, [name]: { kind: 'raw', text } } }));
    }
    case 'badQuery':
      return invalid(qSchema, p.query).map((q) => ({
        ...p,
        query: q && typeof q === 'object' && !Array.isArray(q) ? (q as Record<string, unknown>) : { q },
      }));
    case 'badBody':
      return invalid(op.body!.schema, p.body).map((body) => ({ ...p, body }));
    case 'rawBody':
      return fc.constantFrom(...RAW_BODIES).map((raw) => ({ ...p, raw }));
    default:
      return fc.constant(p);
  }
}

const asQueryValue = (v: unknown): string =>
  typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);

/** Turns a plan into a request against the desk's current objects. */
export async function resolve(op: Operation, plan: Plan, desk: ContractDesk, pools: Pools): Promise<Sent> {
  let url = op.path;
  for (const param of op.pathParams) {
    const pick = plan.path[param.name]!;
    const text =
      pick.kind === 'raw' ? pick.text : encodeURIComponent(String(await pools.value(op, param.name, pick)));
    url = url.replace(`{${param.name}}`, text);
  }
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(plan.query))
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) search.append(k, asQueryValue(one));
  if ([...search].length) url += `?${search.toString()}`;

  const selfEnding = SELF_ENDING.has(op.key) && ['admin', 'agent', 'customer'].includes(plan.actor);
  const headers = selfEnding
    ? await desk.throwawaySession(plan.actor === 'customer' ? 'customer' : 'agent')
    : { ...desk.headers[plan.actor] };
  let payload: string | undefined;
  if (plan.raw) {
    payload = plan.raw.payload;
    if (plan.raw.contentType) headers['content-type'] = plan.raw.contentType;
  } else if (op.body && plan.body !== undefined) {
    const json = op.body.media === 'application/json';
    payload = json ? JSON.stringify(plan.body) : String(plan.body);
    headers['content-type'] = op.body.media;
  }
  return { plan, method: op.method, url, headers, ...(payload !== undefined ? { payload } : {}) };
}

/** Sends a request in-process; an event stream is read up to its headers and then dropped. */
export async function send(app: FastifyInstance, req: Sent): Promise<Answer> {
  const options: InjectOptions = {
    method: req.method as InjectOptions['method'],
    url: req.url,
    headers: req.headers,
    ...(req.payload !== undefined ? { payload: req.payload } : {}),
  };
  if (req.method === 'GET' && req.url.startsWith('/api/v1/events')) {
    const abort = new AbortController();
    const res = await app.inject({ ...options, payloadAsStream: true, signal: abort.signal });
    const stream = res.stream();
    let body = '';
    if (res.statusCode === 200) abort.abort();
    else for await (const chunk of stream) body += String(chunk);
    stream.on('error', () => undefined);
    return { status: res.statusCode, headers: res.headers, body };
  }
  const res = await app.inject(options);
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

/** Values for path parameters: real objects of the desk, made on demand where a request may destroy them. */
export class Pools {
  /** Ids made for the contract test alone, per collection: writes go to these, never to the seeded ones. */
  readonly sacrificial = new Map<string, number[]>();

  constructor(private readonly desk: ContractDesk) {}

  async value(
    op: Operation,
    name: string,
    pick: Exclude<PathPick, { kind: 'raw' }>,
  ): Promise<string | number> {
    if (name === 'number') {
      if (pick.kind === 'missing') return '999999999';
      const fresh = op.method === 'DELETE' || pick.index % 3 === 0;
      const made = fresh ? await this.desk.freshTicket() : undefined;
      return made ?? this.desk.tickets[pick.index % this.desk.tickets.length]!;
    }
    if (name === 'token') {
      const tokens = this.desk.surveyTokens;
      return pick.kind === 'missing' || !tokens.length ? 'x'.repeat(43) : tokens[pick.index % tokens.length]!;
    }
    if (name === 'id') {
      if (pick.kind === 'missing') return 2_000_000_000;
      const collection = op.path.slice(0, op.path.indexOf('/{'));
      const own = this.sacrificial.get(collection) ?? [];
      const ids = op.method === 'GET' ? [...(this.desk.ids.get(collection) ?? []), ...own] : own;
      return ids.length ? ids[pick.index % ids.length]! : 2_000_000_001;
    }
    return pick.kind === 'missing' ? 'missing' : 'yaml';
  }
}

export const describePlan = (req: Sent): string =>
  `${req.plan.actor} ${req.plan.mode}: ${req.method} ${req.url.slice(0, 200)}${
    req.payload !== undefined ? ` ${JSON.stringify(req.payload.slice(0, 300))}` : ''
  }`;
