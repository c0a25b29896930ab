import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { BODY_LIMITS } from '../../http/body.ts';
import { limitIntake } from '../../http/throttles.ts';
import { presentEntry, presentChanged, presentTicketDetail } from '../tickets/tickets.presenter.ts';
import { getTicketView } from '../tickets/tickets.view.service.ts';
import type { Actor } from '../auth/auth.actor.ts';
import {
  PostedOut,
  PostNote,
  PostReply,
  TicketDetailOut,
  TicketParams,
} from '../../contract/tickets.contract.ts';
import { postNote, replyOnThread, type PostedAnswer } from './threads.service.ts';

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
      // A customer's message is intake: rate-limited per address like a new ticket.
      if (actor.kind === 'customer') await limitIntake(ctx, req);
      return present(actor, await replyOnThread(ctx.deps, actor, params.number, body));
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
    async ({ actor, params, body }) => present(actor, await postNote(ctx.deps, actor, params.number, body)),
  );
}

/** The posted entry and the ticket, from what the transaction read (tickets.answer.service.ts): no read after the commit. */
const present = (actor: Actor, posted: PostedAnswer) => ({
  entry: presentEntry(posted.entry, posted.answer.people, actor, posted.answer.files),
  ticket: presentChanged(actor, posted),
});
