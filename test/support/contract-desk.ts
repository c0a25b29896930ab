import { createApiKey } from '../../src/modules/auth/apikeys.service.ts';
import { openSession } from '../../src/modules/auth/sessions.service.ts';
import { createAgent } from '../../src/modules/directory/agents.service.ts';
import { findOrCreateCustomer } from '../../src/modules/directory/customers.repository.ts';
import { hashPassword } from '../../src/modules/auth/auth.passwords.ts';
import { PASSWORDS, type Harness } from './http.ts';
import { T0 } from './factories.ts';
import { z } from 'zod';
import { InboundItemOut } from '../../src/contract/mail.contract.ts';
import { TicketDetailOut, TicketOut } from '../../src/contract/tickets.contract.ts';

// The seeded desk the contract test drives: callers of every kind, real
// objects for path parameters (tickets in each state, an attachment, an
// inbound message, a survey link) and known-good values for body fields.

export const ACTORS = [
  'admin',
  'agent',
  'customer',
  'adminKey',
  'agentKey',
  'readKey',
  'anonymous',
  'badKey',
  'noCsrf',
] as const;
export type ActorName = (typeof ACTORS)[number];

export const THROWAWAY_PASSWORD = 'throwaway-password-1';

export interface ContractDesk {
  headers: Record<ActorName, Record<string, string>>;
  /** Ticket numbers in every state, requested by the demo customer. */
  tickets: string[];
  /** Ids per collection path ("/api/v1/departments"), from the desk's own lists. */
  ids: Map<string, number[]>;
  surveyTokens: string[];
  hints: (property: string) => readonly unknown[];
  /** A ticket made for one request (deleting or closing it harms no other). */
  freshTicket(): Promise<string | undefined>;
  /** A session of a throwaway account, for requests that end sessions or change passwords. */
  throwawaySession(kind: 'agent' | 'customer'): Promise<Record<string, string>>;
}

type Json = Record<string, unknown>;

export async function contractDesk(h: Harness): Promise<ContractDesk> {
  const { deps } = h.desk;
  const session = async (type: 'agent' | 'customer', id: number, csrf = true) => {
    const s = await openSession(deps, type, id);
    return { cookie: `deskline_session=${s.token}`, ...(csrf ? { 'x-csrf-token': s.csrfToken } : {}) };
  };
  const bearer = async (opts: Parameters<typeof createApiKey>[1]) => ({
    authorization: `Bearer ${(await createApiKey(deps, opts)).key}`,
  });
  const headers: ContractDesk['headers'] = {
    admin: await session('agent', h.desk.admin.id),
    agent: await session('agent', h.desk.jane.id),
    customer: await session('customer', h.desk.karen.id),
    adminKey: await bearer({ name: 'contract: system' }),
    agentKey: await bearer({ name: 'contract: jane', agent: h.desk.jane.id }),
    readKey: await bearer({ name: 'contract: read only', scopes: ['tickets:read'] }),
    anonymous: {},
    badKey: { authorization: 'Bearer 00000000000000000000000000000000' },
    noCsrf: await session('agent', h.desk.admin.id, false),
  };
  const as = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    h.anonymous.request(method, url, body, headers.adminKey);

  const tickets = await ticketsInEveryState(as);
  const lists = new Map<string, Json[]>();
  for (const path of LISTED) {
    const res = await as('GET', path);
    // Lists of any resource: an array, or {items} (every item has an id).
    const body = res.json as Json[] | { items?: Json[] } | undefined;
    lists.set(path, Array.isArray(body) ? body : (body?.items ?? []));
  }
  const ids = new Map([...lists].map(([path, items]) => [path, items.map((i) => Number(i.id))]));
  ids.set('/api/v1/attachments', await attachmentIds(as));
  ids.set('/api/v1/mail/inbound', await inboundIds(as));
  for (let i = 0; i < 3; i++) await as('POST', '/api/v1/portal/access-links', { email: 'karen@example.com' });
  const surveyTokens = await tokensOf(h, 'mail.survey');
  const linkTokens = await tokensOf(h, 'mail.access_link');

  let throwaways = 0;
  return {
    headers,
    tickets,
    ids,
    surveyTokens,
    hints: hintsFrom(lists, tickets, [...surveyTokens, ...linkTokens]),
    async freshTicket() {
      const res = await as('POST', '/api/v1/tickets', newTicket(`fresh ${tickets.length}`));
      return res.status === 201 ? res.as(TicketOut).number : undefined;
    },
    async throwawaySession(kind) {
      const email = `throwaway-${++throwaways}@example.net`;
      if (kind === 'agent') {
        const agent = await createAgent(deps, {
          email,
          name: `Throwaway ${throwaways}`,
          password: THROWAWAY_PASSWORD,
          departments: [{ department: 'Support' }],
        });
        return session('agent', agent.id);
      }
      const customer = await findOrCreateCustomer(deps.db, { email, name: 'Throwaway' }, T0);
      const hash = await hashPassword(THROWAWAY_PASSWORD);
      await deps.db
        .updateTable('customers')
        .set({ password_hash: hash })
        .where('id', '=', customer.id)
        .execute();
      return session('customer', customer.id);
    },
  };
}

/** Collections whose items path parameters name; their ids come from the desk's own lists. */
const LISTED = [
  '/api/v1/departments',
  '/api/v1/teams',
  '/api/v1/help-topics',
  '/api/v1/priorities',
  '/api/v1/statuses',
  '/api/v1/sla-plans',
  '/api/v1/organizations',
  '/api/v1/mailboxes',
  '/api/v1/routing-rules',
  '/api/v1/mail-templates',
  '/api/v1/agents',
  '/api/v1/customers',
  '/api/v1/api-keys',
  '/api/v1/saved-queues',
];

const newTicket = (subject: string, extra: Json = {}) => ({
  subject,
  body: 'The printer on the third floor is on fire.',
  requester: { email: 'karen@example.com', name: 'Karen Smith' },
  ...extra,
});

type As = (
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
) => ReturnType<Harness['anonymous']['request']>;

/** Open, pending, resolved and closed tickets of the demo customer. */
async function ticketsInEveryState(as: As): Promise<string[]> {
  const numbers: string[] = [];
  for (const [i, steps] of [
    [],
    [],
    ['status:Awaiting customer'],
    ['resolve'],
    ['resolve', 'close'],
  ].entries()) {
    const res = await as('POST', '/api/v1/tickets', newTicket(`Contract ticket ${i}`));
    if (res.status !== 201) throw new Error(`cannot open a ticket: ${res.status} ${res.body}`);
    const n = res.as(TicketOut).number;
    for (const step of steps) {
      const [action, status] = step.split(':');
      const body = action === 'status' ? { status } : { reason: 'Fixed it' };
      const done = await as('POST', `/api/v1/tickets/${n}/${action}`, body);
      if (done.status !== 200) throw new Error(`${step} on ${n}: ${done.status} ${done.body}`);
    }
    numbers.push(n);
  }
  return numbers;
}

async function attachmentIds(as: As): Promise<number[]> {
  const data = Buffer.from('hello').toString('base64');
  const res = await as(
    'POST',
    '/api/v1/tickets',
    newTicket('With a file', { attachments: [{ filename: 'note.txt', data }] }),
  );
  const detail = await as('GET', `/api/v1/tickets/${res.as(TicketOut).number}`);
  return detail.as(TicketDetailOut).thread.flatMap((e) => e.attachments.map((a) => a.id));
}

const SAMPLE_MAIL = [
  'From: Mail Person <mail.person@example.com>',
  'To: support@deskline.local',
  'Subject: Contract mail',
  'Message-ID: <contract-1@example.com>',
  '',
  'Hello from mail.',
  '',
].join('\r\n');

export const SAMPLE_BODIES: Record<string, string> = {
  'message/rfc822': SAMPLE_MAIL,
  'application/xml':
    '<?xml version="1.0"?><ticket><name>X Person</name><email>x@example.com</email><subject>XML</subject><message>Hi</message></ticket>',
};

async function inboundIds(as: As): Promise<number[]> {
  await as('POST', '/api/tickets.email', SAMPLE_MAIL);
  const res = await as('GET', '/api/v1/mail/inbound');
  return res.as(z.object({ items: z.array(InboundItemOut) })).items.map((i) => i.id);
}

/** Survey and sign-in links are mailed; their tokens ride in the queued jobs. */
async function tokensOf(h: Harness, type: string): Promise<string[]> {
  const rows = await h.desk.db.selectFrom('jobs').select('payload').where('type', '=', type).execute();
  return rows.map((r) => (JSON.parse(r.payload) as { token: string }).token);
}

/** Property name → values that name real things (by name, email or id), tried before random ones. */
function hintsFrom(
  lists: Map<string, Json[]>,
  tickets: string[],
  tokens: string[],
): (property: string) => readonly unknown[] {
  const items = (c: string) => lists.get(`/api/v1/${c}`) ?? [];
  const of = (c: string) => items(c).flatMap((r) => [r.name, r.id].filter((v) => v !== undefined));
  const agents = items('agents').flatMap((a) => [a.email, a.id]);
  const table: Record<string, unknown[]> = {
    department: of('departments'),
    team: of('teams'),
    priority: of('priorities'),
    status: of('statuses'),
    helpTopic: of('help-topics'),
    slaPlan: of('sla-plans'),
    organization: of('organizations'),
    assignee: [...agents, 'me', 'none'],
    agent: agents,
    email: ['karen@example.com', 'jane@deskline.local', 'admin@deskline.local', 'someone.new@example.org'],
    requester: ['karen@example.com', { email: 'karen@example.com', name: 'Karen Smith' }],
    password: [PASSWORDS.admin, PASSWORDS.agent, PASSWORDS.customer, THROWAWAY_PASSWORD],
    currentPassword: [THROWAWAY_PASSWORD],
    numbers: [tickets.slice(0, 2), tickets.slice(2)],
    number: tickets,
    token: tokens,
    timezone: ['UTC', 'Europe/Berlin', 'America/New_York'],
    from: ['2025-01-01', '2024-12-01'],
    to: ['2025-01-31', '2025-03-01'],
    fromAddress: ['support@deskline.local'],
    subject: ['Printer on fire'],
    body: ['It still does not print.'],
    q: ['printer', '#100001'],
    dueAt: [T0 + 86_400_000, null],
    score: [1, 3, 5],
    columns: [['number', 'subject', 'status']],
    filters: [{ state: ['open'] }, { department: 'Support' }],
    attachments: [[{ filename: 'log.txt', data: Buffer.from('log line').toString('base64') }]],
    message: ['Hello, the printer is on fire.'],
    name: ['Contract Person'],
    // Whole bodies ("@METHOD /path") and queries ("?METHOD /path") that name real things.
    '@POST /api/v1/session': [{ email: 'jane@deskline.local', password: PASSWORDS.agent }],
    '@POST /api/v1/portal/session': [{ email: 'karen@example.com', password: PASSWORDS.customer }],
    '@POST /api/v1/tickets': [newTicket('Contract intake')],
    '@POST /api/tickets.json': [
      { email: 'json.person@example.com', name: 'Json Person', subject: 'JSON', message: 'Hello' },
    ],
  };
  table['?GET /api/v1/tickets'] = [
    { queue: 'open' },
    { state: 'open,pending', department: 'Support', limit: 5 },
    { q: 'printer', sort: '-created' },
  ];
  for (const report of ['volume', 'speed', 'sla', 'agents', 'csat'])
    table[`?GET /api/v1/reports/${report}`] = [
      { from: '2025-01-01', to: '2025-01-31' },
      { from: '2025-01-01', to: '2025-01-31', format: 'csv', interval: 'week' },
    ];
  for (const [alias, key] of [
    ['departmentId', 'department'],
    ['teamId', 'team'],
    ['priorityId', 'priority'],
    ['statusId', 'status'],
    ['helpTopicId', 'helpTopic'],
    ['topic', 'helpTopic'],
    ['slaPlanId', 'slaPlan'],
    ['organizationId', 'organization'],
    ['agentId', 'agent'],
    ['leadId', 'agent'],
    ['managerId', 'agent'],
  ] as const)
    table[alias] = table[key]!.filter((v) => typeof v === 'number');
  return (property) => table[property] ?? [];
}
