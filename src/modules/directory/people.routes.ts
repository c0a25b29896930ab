import { z } from 'zod';
import type { HttpContext } from '../../http/context.ts';
import { route } from '../../http/route.ts';
import { EmailChange } from '../../contract/auth.contract.ts';
import { requestEmailCorrection } from '../auth/accounts.service.ts';
import {
  AgentOut,
  AgentUpdate,
  CustomerOut,
  CustomerQuery,
  CustomerUpdate,
  NewAgent,
  NewCustomer,
} from '../../contract/directory.contract.ts';
import { createAgent } from './agents.service.ts';
import { getAgent, listAgents, updateAgent } from './agents.admin.service.ts';
import {
  createCustomer,
  getCustomer,
  listCustomers,
  presentCustomer,
  updateCustomer,
} from './customers.service.ts';

const IdParams = z.strictObject({ id: z.coerce.number().int().positive() });

/**
 * Agents (staff read, admins manage) and customers (staff read those of their
 * tickets and create; admins and agents who manage customers move them and
 * correct addresses; admins ban). The rules are in customers.policy.ts.
 */
export function registerPeopleRoutes(ctx: HttpContext): void {
  const agents = ['Agents'];
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/agents',
      summary: 'List agents',
      tags: agents,
      access: 'agent',
      scope: 'tickets:read',
      response: z.object({ items: z.array(AgentOut) }),
    },
    async () => ({
      items: await listAgents(ctx.deps.db),
    }),
  );
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/agents/:id',
      summary: 'One agent',
      tags: agents,
      access: 'agent',
      scope: 'tickets:read',
      params: IdParams,
      response: AgentOut,
    },
    async ({ params }) => getAgent(ctx.deps.db, params.id),
  );
  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/agents',
      summary: 'Create an agent with a password and department access',
      tags: agents,
      access: 'admin',
      body: NewAgent,
      response: AgentOut,
      status: 201,
      // 404: a department named in `departments` does not exist.
      errors: [404, 409],
    },
    async ({ body }) => {
      const created = await createAgent(ctx.deps, body);
      return getAgent(ctx.deps.db, created.id);
    },
  );
  route(
    ctx,
    {
      method: 'PATCH',
      url: '/api/v1/agents/:id',
      summary: 'Change an agent (role, access, teams, availability; deactivate instead of delete)',
      tags: agents,
      access: 'admin',
      params: IdParams,
      body: AgentUpdate,
      response: AgentOut,
      errors: [409],
    },
    async ({ params, body }) => {
      const agent = await updateAgent(ctx.deps, params.id, body);
      ctx.auth.forgetAgent(params.id);
      return agent;
    },
  );

  const customers = ['Customers'];
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/customers',
      summary:
        'List or search customers (keyset paging): those of tickets you may view, or every one for admins and agents who manage customers; a complete address finds its customer',
      tags: customers,
      access: 'agent',
      scope: 'tickets:read',
      query: CustomerQuery,
      response: z.object({ items: z.array(CustomerOut), nextCursor: z.string().nullable() }),
    },
    async ({ actor, query }) => listCustomers(ctx.deps, actor, query),
  );
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/customers/:id',
      summary: 'One customer (404 for one of no ticket you may view, unless you manage customers)',
      tags: customers,
      access: 'agent',
      scope: 'tickets:read',
      params: IdParams,
      response: CustomerOut,
    },
    async ({ actor, params }) => presentCustomer(await getCustomer(ctx.deps, actor, params.id)),
  );
  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/customers',
      summary: 'Create a customer (e.g. for a phone call)',
      tags: customers,
      access: 'agent',
      scope: 'tickets:write',
      body: NewCustomer,
      response: CustomerOut,
      status: 201,
      // 404: the organization named does not exist.
      errors: [404, 409],
    },
    async ({ actor, body }) => presentCustomer(await createCustomer(ctx.deps, actor, body)),
  );
  route(
    ctx,
    {
      method: 'PATCH',
      url: '/api/v1/customers/:id',
      summary:
        "Change a customer's name or phone; their organization: admins and agents who manage customers; ban: admins",
      tags: customers,
      access: 'agent',
      scope: 'tickets:write',
      params: IdParams,
      body: CustomerUpdate,
      response: CustomerOut,
    },
    async ({ actor, params, body }) =>
      presentCustomer(await updateCustomer(ctx.deps, actor, params.id, body)),
  );
  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/customers/:id/email',
      summary:
        "Correct a customer's address (admins and agents who manage customers): it changes when the new address confirms the mailed link",
      tags: customers,
      access: 'agent',
      scope: 'tickets:write',
      params: IdParams,
      body: EmailChange,
      response: z.object({ status: z.literal('confirmation_sent') }),
      status: 202,
      errors: [409, 429],
    },
    async ({ actor, params, body }) => {
      await requestEmailCorrection(ctx.deps, actor, params.id, body);
      return { status: 'confirmation_sent' as const };
    },
  );
}
