import { z } from 'zod';
import { authenticate } from '../../http/auth.ts';
import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor, AgentActor } from '../auth/auth.actor.ts';
import { PresenceIn, PresenceOut } from '../../contract/live.contract.ts';
import { TicketParams } from '../../contract/tickets.contract.ts';
import { DEFAULT_TIMINGS, LiveHub, type HubTimings, type Subscriber } from './live.hub.ts';
import { heartbeat, leave } from './live.presence.service.ts';

const tags = ['Live'];

/** Presence is an agent's own: a key without an agent (the system) has nobody to be present as. */
function asAgent(actor: Actor): AgentActor {
  if (actor.kind !== 'agent') throw new AppError('forbidden', 403, 'Only agents have a presence');
  return actor;
}

/** GET /api/v1/events (SSE) and the ticket presence heartbeat. */
export function registerLiveRoutes(ctx: HttpContext, timings: HubTimings = DEFAULT_TIMINGS): LiveHub {
  const hub = new LiveHub(ctx.deps, timings);
  ctx.app.addHook('preClose', () => hub.stop());

  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/events',
      summary:
        'Live updates (Server-Sent Events): `ticket` {number, kind} when a ticket you may view changes, `presence` {number} when agents come to or leave it; a comment every 15 s',
      tags,
      access: 'agent',
      scope: 'tickets:read',
      contentType: 'text/event-stream',
      response: z.string(),
    },
    async ({ req, reply, actor }) => {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n\n');
      const sub: Subscriber = {
        actor,
        write: (chunk) => void raw.write(chunk),
        end: () => raw.end(),
        reauth: async () => {
          const auth = await authenticate(ctx, req);
          return auth.actor?.kind === actor.kind ? auth.actor : null;
        },
      };
      let closed = false;
      req.raw.once('close', () => {
        closed = true;
        hub.remove(sub);
      });
      await hub.add(sub);
      if (closed) hub.remove(sub);
      else raw.write(': live\n\n');
    },
  );

  route(
    ctx,
    {
      method: 'PUT',
      url: '/api/v1/tickets/:number/presence',
      summary:
        'I am viewing or replying to this ticket (heartbeat, expires after 30 s); returns the other agents there',
      tags,
      access: 'agent',
      // A heartbeat writes (and other agents see it): a read-only key may not.
      scope: 'tickets:write',
      params: TicketParams,
      body: PresenceIn,
      response: PresenceOut,
    },
    async ({ actor, params, body }) => ({
      others: await heartbeat(ctx.deps, asAgent(actor), params.number, body.activity),
    }),
  );

  route(
    ctx,
    {
      method: 'DELETE',
      url: '/api/v1/tickets/:number/presence',
      summary: 'I left this ticket',
      tags,
      access: 'agent',
      scope: 'tickets:write',
      params: TicketParams,
      status: 204,
    },
    async ({ actor, params }) => leave(ctx.deps, asAgent(actor), params.number),
  );
  return hub;
}
