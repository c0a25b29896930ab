import type { buildOpenApi } from './openapi.ts';

// What the reference adds to the generated document for its readers: worked
// examples of the calls people make first (sign in, open a ticket, reply,
// list a queue), shown and pre-filled for try-it by /api/docs. They are a
// fresh desk's very answers: test/http/api-docs.test.ts replays them and
// checks each against its operation's schemas, so they cannot drift.

type Doc = ReturnType<typeof buildOpenApi>;
type Json = Record<string, unknown>;

interface Examples {
  /** Path and query parameters. */
  parameters?: Record<string, unknown>;
  request?: unknown;
  /** The success answer, by status. */
  response?: { status: string; value: unknown };
}

const TICKET = {
  id: 1,
  number: '100001',
  subject: 'VPN drops every hour',
  status: 'Open',
  statusId: 1,
  state: 'open',
  priority: 'High',
  priorityId: 3,
  department: 'Support',
  departmentId: 1,
  team: null,
  teamId: null,
  assignee: null,
  helpTopic: null,
  helpTopicId: null,
  source: 'api',
  requester: { id: 2, name: 'Sam Field', email: 'sam@example.org' },
  dueAt: null,
  slaDueAt: '2025-01-06T11:00:00.000Z',
  sla: {
    plan: 'Standard',
    firstResponseDueAt: '2025-01-06T11:00:00.000Z',
    nextResponseDueAt: null,
    resolutionDueAt: '2025-01-07T09:00:00.000Z',
    paused: false,
  },
  firstResponseAt: null,
  lastMessageAt: '2025-01-06T09:00:00.000Z',
  lastResponseAt: null,
  lastSpeaker: 'customer',
  resolvedAt: null,
  closedAt: null,
  reopenCount: 0,
  createdAt: '2025-01-06T09:00:00.000Z',
  updatedAt: '2025-01-06T09:00:00.000Z',
};

const REPLIED = {
  ...TICKET,
  status: 'Awaiting customer',
  statusId: 3,
  state: 'pending',
  slaDueAt: null,
  sla: { ...TICKET.sla, firstResponseDueAt: null, resolutionDueAt: null, paused: true },
  firstResponseAt: '2025-01-06T09:05:00.000Z',
  lastResponseAt: '2025-01-06T09:05:00.000Z',
  lastSpeaker: 'agent',
  updatedAt: '2025-01-06T09:05:00.000Z',
};

/** By operation: `METHOD /path/{param}` as in the document. */
export const EXAMPLES: Record<string, Examples> = {
  'post /api/v1/session': {
    request: { email: 'jane@deskline.local', password: 'deskline-agent' },
    response: {
      status: '200',
      value: {
        csrfToken: 'WLZ-MYfSsah9ZP_79rQakr2Z6630TZ3s',
        user: {
          kind: 'agent',
          id: 2,
          name: 'Jane Doe',
          email: 'jane@deskline.local',
          role: 'agent',
          departments: [{ id: 1, permissions: ['view', 'reply', 'assign', 'transfer', 'close', 'delete'] }],
          teams: [2],
          signature: '',
          availability: 'available',
          manageCustomers: false,
        },
      },
    },
  },
  'post /api/v1/tickets': {
    request: {
      subject: 'VPN drops every hour',
      body: 'Since Monday the VPN disconnects every hour on the hour.',
      requester: { email: 'sam@example.org', name: 'Sam Field' },
      department: 'Support',
      priority: 'High',
    },
    response: { status: '201', value: TICKET },
  },
  'post /api/v1/tickets/{number}/replies': {
    parameters: { number: '100001' },
    request: { body: 'Thanks Sam, we are looking into it.', setState: 'pending' },
    response: {
      status: '201',
      value: {
        entry: {
          id: 2,
          kind: 'reply',
          body: 'Thanks Sam, we are looking into it.',
          format: 'text',
          author: { type: 'agent', id: 2, name: 'Jane Doe', email: 'jane@deskline.local' },
          createdAt: '2025-01-06T09:05:00.000Z',
          attachments: [],
        },
        ticket: REPLIED,
      },
    },
  },
  'get /api/v1/tickets': {
    parameters: { queue: 'open', limit: 25 },
    response: { status: '200', value: { items: [TICKET], nextCursor: null } },
  },
};

/** The document with the examples: what /api/openapi.json serves. */
export function forReaders(doc: Doc): Doc {
  for (const [key, ex] of Object.entries(EXAMPLES)) {
    const [method, path] = key.split(' ') as [string, string];
    const op = doc.paths[path]?.[method] as Json | undefined;
    if (!op) continue; // a route renamed: the docs test says so
    for (const p of (op.parameters ?? []) as Json[])
      if (ex.parameters && Object.hasOwn(ex.parameters, String(p.name)))
        p.example = ex.parameters[String(p.name)];
    const body = (op.requestBody as { content?: Record<string, Json> } | undefined)?.content?.[
      'application/json'
    ];
    if (body && ex.request !== undefined) body.example = ex.request;
    const answer =
      ex.response && (op.responses as Record<string, { content?: Record<string, Json> }>)[ex.response.status];
    const media = answer?.content?.['application/json'];
    if (media && ex.response) media.example = ex.response.value;
  }
  // A cookie cannot be typed into the reference: the browser sends the desk's own.
  const schemes = doc.components.securitySchemes as Record<string, Json>;
  if (schemes.session)
    schemes.session.description =
      'The session of whoever is signed in to the desk in this browser (or signed in here with POST /api/v1/session): the browser sends the cookie and the reference adds the CSRF token to writes. Nothing to enter.';
  return doc;
}
