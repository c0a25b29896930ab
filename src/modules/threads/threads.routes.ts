import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { BODY_LIMITS } from '../../http/body.ts';
import { limitIntake } from '../../http/throttles.ts';
import { presentEntry, presentTicketDetail } from '../tickets/tickets.presenter.ts';
import { getTicketView } from '../tickets/tickets.read.service.ts';
import { presentFor } from '../tickets/tickets.routes.ts';
import { answerParts } from '../tickets/tickets.answer.ts';
import {
  PostedOut,
  PostNote,
  PostReply,
  TicketDetailOut,
  TicketParams,
} from '../../contract/tickets.contract.ts';
import { postCustomerMessage, postNote, postReply, type Posted } from './threads.service.ts';

const tags = ['Thread'];

/** The thread of a ticket: read it, reply to the customer (or, as the customer, write to staff), add internal notes. */
export function registerThreadRoutes(ctx: HttpContext): void {
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/tickets/:number/thread',
      summary: 'The thread: messages, replies, notes (staff only) and events',
      tags,
      access: 'signed-in',
      scope: 'tickets:read',
      params: TicketParams,
      response: TicketDetailOut.shape.thread,
    },
    async ({ actor, params }) => {
      const view = await getTicketView(ctx.deps, actor, params.number);
      return presentTicketDetail(view, actor).thread;
    },
  );

  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/tickets/:number/replies',
      summary: 'Reply: from staff it is mailed to the customer; from the customer it is their message',
      tags,
      access: 'signed-in',
      scope: 'tickets:write',
      params: TicketParams,
      body: PostReply,
      response: PostedOut,
      status: 201,
      errors: [409, 429],
      bodyLimit: BODY_LIMITS.files,
    },
    async ({ req, actor, params, body }) => {
      if (actor.kind === 'customer') {
        await limitIntake(ctx, req);
        const { setState: _ignored, ...message } = body;
        return present(
          ctx,
          actor,
          await postCustomerMessage(ctx.deps, actor, params.number, { ...message, source: 'web' }),
        );
      }
      return present(ctx, actor, await postReply(ctx.deps, actor, params.number, body));
    },
  );

  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/tickets/:number/notes',
      summary: 'Internal note: never mailed, never shown to the customer',
      tags,
      access: 'agent',
      scope: 'tickets:write',
      params: TicketParams,
      body: PostNote,
      response: PostedOut,
      status: 201,
      bodyLimit: BODY_LIMITS.files,
    },
    async ({ actor, params, body }) =>
      present(ctx, actor, await postNote(ctx.deps, actor, params.number, body)),
  );
}

/** The posted entry and the ticket, from what the transaction read (tickets.answer.ts): no read after the commit. */
async function present(ctx: HttpContext, actor: Parameters<typeof presentFor>[1], posted: Posted) {
  const { people, files } = await answerParts(ctx.deps, posted.ticket, posted.entry);
  return {
    entry: presentEntry(posted.entry, people, actor, files),
    ticket: await presentFor(ctx, actor, posted.ticket),
  };
}
