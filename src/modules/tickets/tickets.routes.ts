import { z } from 'zod';
import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { referenceOf } from '../../lib/deps.ts';
import type { Actor } from '../auth/auth.actor.ts';
import { throttleIntake } from '../../http/throttles.ts';
import { BODY_LIMITS } from '../../http/body.ts';
import { idempotencyClaim, REPLAYED_HEADER } from '../../http/idempotency.ts';
import { answerAfterCommit, type Answered } from './tickets.answer.service.ts';
import { createTicketOnce, openPortalTicket, type Opened } from './tickets.intake.service.ts';
import { listTickets } from './tickets.list.service.ts';
import { presentChanged, presentTicket, presentTicketDetail } from './tickets.presenter.ts';
import { getTicketView, loadPeople } from './tickets.view.service.ts';
import * as S from '../../contract/tickets.contract.ts';
import { TicketDetailOut, TicketOut, TicketPageOut } from '../../contract/tickets.contract.ts';
import * as tickets from './tickets.service.ts';

const tags = ['Tickets'];

/** A new ticket as the caller sees it; a replayed request's answer is read now (nothing committed). */
const presentOpened = async (ctx: HttpContext, viewer: Actor, { ticket, answer }: Opened) =>
  presentChanged(viewer, { ticket, answer: answer ?? (await answerAfterCommit(ctx.deps, ticket)) });

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
      const claim = idempotencyClaim(req, auth, req.body);
      if (actor === null || actor.kind === 'customer') {
        const portal = await openPortalTicket(ctx.deps, actor, body, claim);
        if (portal.replayed) reply.header(REPLAYED_HEADER, 'true');
        return presentOpened(ctx, portal.viewer, portal);
      }
      const opened = await createTicketOnce(ctx.deps, actor, body, claim);
      if (opened.replayed) reply.header(REPLAYED_HEADER, 'true');
      return presentOpened(ctx, actor, opened);
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
      params: S.TicketParams,
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
      params: S.TicketParams,
      body: S.UpdateTicket,
      response: TicketOut,
      errors: [409],
    },
    async ({ actor, params, body }) =>
      presentChanged(actor, await tickets.updateTicket(ctx.deps, actor, params.number, body)),
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
      params: S.TicketParams,
      status: 204,
    },
    async ({ actor, params }) => tickets.deleteTicket(ctx.deps, actor, params.number),
  );

  registerActionRoutes(ctx);
}

type Action = (deps: HttpContext['deps'], actor: Actor, number: string, body: never) => Promise<Answered>;

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
        params: S.TicketParams,
        body: a.body,
        response: TicketOut,
        errors: [409],
        ...(a.bodyLimit ? { bodyLimit: a.bodyLimit } : {}),
      },
      async ({ actor, params, body }) =>
        presentChanged(actor, await a.run(ctx.deps, actor, params.number, body as never)),
    );
  }
}
