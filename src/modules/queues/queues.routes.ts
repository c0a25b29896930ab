import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { runBulk } from './queues.bulk.service.ts';
import { queueList } from './queues.counts.service.ts';
import {
  createSavedQueue,
  deleteSavedQueue,
  getSavedQueue,
  listSavedQueues,
  presentSavedQueue,
  updateSavedQueue,
} from './queues.saved.service.ts';
import * as S from '../../contract/queues.contract.ts';

const tags = ['Queues'];

export function registerQueueRoutes(ctx: HttpContext): void {
  const { deps } = ctx;
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/queues',
      summary: 'The queue sidebar: built-in and saved queues with capped counts',
      tags,
      access: 'agent',
      scope: 'tickets:read',
      response: S.QueueListOut,
    },
    async ({ actor }) => queueList(deps, actor),
  );

  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/saved-queues',
      summary: 'Your saved queues and the shared ones',
      tags,
      access: 'agent',
      scope: 'tickets:read',
      response: S.SavedQueueOut.array(),
    },
    async ({ actor }) => (await listSavedQueues(deps.db, actor)).map((q) => presentSavedQueue(q, actor)),
  );

  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/saved-queues/:id',
      summary: 'One saved queue (yours or shared)',
      tags,
      access: 'agent',
      scope: 'tickets:read',
      params: S.SavedQueueParams,
      response: S.SavedQueueOut,
      errors: [404],
    },
    async ({ actor, params }) => presentSavedQueue(await getSavedQueue(deps.db, actor, params.id), actor),
  );

  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/saved-queues',
      summary: 'Save a queue (filters, columns, sort); shared ones by administrators only',
      tags,
      access: 'agent',
      scope: 'tickets:write',
      body: S.SavedQueueInput,
      response: S.SavedQueueOut,
      status: 201,
      errors: [403, 404],
    },
    async ({ actor, body }) => presentSavedQueue(await createSavedQueue(deps, actor, body), actor),
  );

  route(
    ctx,
    {
      method: 'PATCH',
      url: '/api/v1/saved-queues/:id',
      summary: 'Change a saved queue (your own; shared ones by administrators only)',
      tags,
      access: 'agent',
      scope: 'tickets:write',
      params: S.SavedQueueParams,
      body: S.SavedQueuePatch,
      response: S.SavedQueueOut,
      errors: [403, 404],
    },
    async ({ actor, params, body }) =>
      presentSavedQueue(await updateSavedQueue(deps, actor, params.id, body), actor),
  );

  route(
    ctx,
    {
      method: 'DELETE',
      url: '/api/v1/saved-queues/:id',
      summary: 'Delete a saved queue (your own; shared ones by administrators only)',
      tags,
      access: 'agent',
      scope: 'tickets:write',
      params: S.SavedQueueParams,
      status: 204,
      errors: [403, 404],
    },
    async ({ actor, params }) => deleteSavedQueue(deps, actor, params.id),
  );

  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/tickets/bulk',
      summary:
        'One action (assign, transfer, status, priority, close) on up to 100 tickets; each ticket in its own transaction, results per ticket',
      tags: ['Ticket actions'],
      access: 'agent',
      scope: 'tickets:write',
      body: S.BulkInput,
      response: S.BulkOut,
    },
    async ({ req, actor, body }) => ({
      results: await runBulk(deps, actor, body, (err) => req.log.error({ err }, 'bulk action failed')),
    }),
  );
}
