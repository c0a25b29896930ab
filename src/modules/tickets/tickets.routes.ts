import { z } from 'zod';
import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { referenceOf } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { SYSTEM, type Actor } from '../auth/auth.actor.ts';
import { writeAccessLink } from '../auth/access-links.service.ts';
import { throttleIntake } from '../../http/throttles.ts';
import { BODY_LIMITS } from '../../http/body.ts';
import type { Ticket } from '../../db/schema.ts';
import { idempotencyClaim, REPLAYED_HEADER } from '../../http/idempotency.ts';
import { createTicketOnce } from './tickets.intake.service.ts';
import { answerParts } from './tickets.answer.ts';
import { listTickets } from './tickets.list.service.ts';
import { presentTicket, presentTicketDetail } from './tickets.presenter.ts';
import { getTicketView, loadPeople } from './tickets.read.service.ts';
import * as S from '../../contract/tickets.contract.ts';
import { TicketDetailOut, TicketOut, TicketPageOut, TicketParams } from '../../contract/tickets.contract.ts';
import * as tickets from './tickets.service.ts';

const tags = ['Tickets'];

/** Fields only staff may set when opening a ticket. */
const STAFF_ONLY = [
  'assignee',
  'team',
  'note',
  'department',
  'collaborators',
  'dueAt',
  'linkedTicketId',
  'messageId',
] as const;

/**
 * A ticket row as the caller sees it, with the names it mentions: read in the
 * change's transaction when it was one (tickets.answer.ts), so a committed
 * change is never answered with an error.
 */
export async function presentFor(ctx: HttpContext, viewer: Actor, ticket: Ticket) {
  const { ref, people } = await answerParts(ctx.deps, ticket);
  return presentTicket(ticket, ref, people, viewer);
}

export function registerTicketRoutes(ctx: HttpContext): void {
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/tickets',
      summary: 'List or search the tickets you may see',
      tags,
      access: 'signed-in',
      scope: 'tickets:read',
      query: S.ListTickets,
      response: TicketPageOut,
    },
    async ({ actor, query }) => {
      const page = await listTickets(ctx.deps, actor, query);
      const [ref, people] = await Promise.all([referenceOf(ctx.deps), loadPeople(ctx.deps.db, page.items)]);
      return {
        items: page.items.map((t) => presentTicket(t, ref, people, actor)),
        nextCursor: page.nextCursor,
      };
    },
  );

  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/tickets',
      summary: 'Open a ticket (staff, API key, signed-in customer, or anonymous portal visitor)',
      tags,
      access: 'public',
      scope: 'tickets:create',
      body: S.CreateTicket,
      response: TicketOut,
      status: 201,
      errors: [403, 404, 409, 429],
      bodyLimit: BODY_LIMITS.files,
      throttle: throttleIntake(ctx),
    },
    async ({ req, reply, auth, actor, body }) => {
      if (actor === null || actor.kind === 'customer') {
        const raw = (req.body ?? {}) as Record<string, unknown>;
        const used = STAFF_ONLY.filter((k) => raw[k] !== undefined);
        if (used.length) throw new AppError('forbidden', 403, `Only staff may set ${used.join(', ')}`);
        // The portal offers public help topics only; an internal one is as good as missing.
        const topic =
          body.helpTopic !== undefined ? (await referenceOf(ctx.deps)).topic(body.helpTopic) : undefined;
        if (topic && topic.is_public !== 1) throw notFound('help_topic');
      }
      const claim = idempotencyClaim(req, auth, req.body);
      const input = actor === null || actor.kind === 'customer' ? { ...body, source: 'web' as const } : body;
      // The portal without an account: the visitor follows the ticket through a sign-in link by mail,
      // written with the ticket (one transaction: no ticket without its link).
      const link = actor === null ? writeAccessLink : undefined;
      const { ticket, replayed } = await createTicketOnce(ctx.deps, actor ?? SYSTEM, input, claim, link);
      if (replayed) reply.header(REPLAYED_HEADER, 'true');
      if (actor !== null) return presentFor(ctx, actor, ticket);
      const visitor = {
        kind: 'customer' as const,
        id: ticket.requester_id,
        organizationId: null,
        seesOrganization: false,
      };
      return presentFor(ctx, visitor, ticket);
    },
  );

  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/tickets/:number',
      summary: 'A ticket with its thread (customers see the public thread only)',
      tags,
      access: 'signed-in',
      scope: 'tickets:read',
      params: TicketParams,
      response: TicketDetailOut,
    },
    async ({ actor, params }) =>
      presentTicketDetail(await getTicketView(ctx.deps, actor, params.number), actor),
  );

  route(
    ctx,
    {
      method: 'PATCH',
      url: '/api/v1/tickets/:number',
      summary:
        'Change several fields at once, all or nothing (department, team, assignee, priority, help topic, due date, status)',
      tags,
      access: 'agent',
      scope: 'tickets:write',
      params: TicketParams,
      body: S.UpdateTicket,
      response: TicketOut,
      errors: [409],
    },
    async ({ actor, params, body }) =>
      presentFor(ctx, actor, await tickets.updateTicket(ctx.deps, actor, params.number, body)),
  );

  route(
    ctx,
    {
      method: 'DELETE',
      url: '/api/v1/tickets/:number',
      summary: 'Delete a ticket and its thread (delete permission)',
      tags,
      access: 'agent',
      scope: 'tickets:write',
      params: TicketParams,
      status: 204,
    },
    async ({ actor, params }) => tickets.deleteTicket(ctx.deps, actor, params.number),
  );

  registerActionRoutes(ctx);
}

type Action = (deps: HttpContext['deps'], actor: Actor, number: string, body: never) => Promise<Ticket>;

/** One POST per ticket action; customers may reopen and confirm their own tickets. */
const ACTIONS: {
  path: string;
  summary: string;
  body: z.ZodType;
  run: Action;
  customers?: boolean;
  /** Actions carrying a long text (a transfer note, a reopen comment). */
  bodyLimit?: number;
}[] = [
  {
    path: 'assign',
    summary: 'Assign to an agent and/or a team (null clears)',
    body: S.Assign,
    run: tickets.assign,
  },
  {
    path: 'transfer',
    summary: 'Transfer to another department',
    body: S.Transfer,
    run: tickets.transfer,
    bodyLimit: BODY_LIMITS.text,
  },
  {
    path: 'status',
    summary: 'Set the status (admin-defined statuses included; closing needs a reason)',
    body: S.SetStatus,
    run: tickets.setStatus,
  },
  { path: 'priority', summary: 'Change the priority', body: S.SetPriority, run: tickets.setPriority },
  { path: 'help-topic', summary: 'Change the help topic', body: S.SetHelpTopic, run: tickets.setHelpTopic },
  { path: 'due-date', summary: 'Set or clear the due date', body: S.SetDueDate, run: tickets.setDueDate },
  {
    path: 'resolve',
    summary: 'Resolve; the customer is asked to confirm',
    body: S.Reason,
    run: tickets.resolve,
  },
  { path: 'close', summary: 'Close, with a reason', body: S.Reason, run: tickets.close },
  {
    path: 'reopen',
    summary: 'Reopen a resolved or closed ticket (a customer may add a comment, posted as their message)',
    body: S.Reopen,
    run: tickets.reopen,
    customers: true,
    bodyLimit: BODY_LIMITS.text,
  },
  {
    path: 'confirm',
    summary: 'The customer confirms the solution; the ticket closes',
    body: z.strictObject({}),
    run: (deps, actor, number) => tickets.confirm(deps, actor, number),
    customers: true,
  },
];

function registerActionRoutes(ctx: HttpContext) {
  for (const a of ACTIONS) {
    route(
      ctx,
      {
        method: 'POST',
        url: `/api/v1/tickets/:number/${a.path}`,
        summary: a.summary,
        tags: ['Ticket actions'],
        access: a.customers ? 'signed-in' : 'agent',
        scope: 'tickets:write',
        params: TicketParams,
        body: a.body,
        response: TicketOut,
        errors: [409],
        ...(a.bodyLimit ? { bodyLimit: a.bodyLimit } : {}),
      },
      async ({ actor, params, body }) =>
        presentFor(ctx, actor, await a.run(ctx.deps, actor, params.number, body as never)),
    );
  }
}
