import { z } from 'zod';
import type { HttpContext } from '../../http/context.ts';
import { BODY_LIMITS } from '../../http/body.ts';
import { route } from '../../http/route.ts';
import { AppError } from '../../lib/errors.ts';
import { Availability } from '../../contract/directory.contract.ts';
import { setAvailability } from '../directory/agents.admin.service.ts';
import { SETTINGS } from '../../contract/settings.contract.ts';
import { getSetting, replaceSetting } from '../settings/settings.service.ts';
import {
  listRejections,
  PreviewInput,
  previewRouting,
  RejectionQuery,
  type RejectionRow,
} from './routing.admin.service.ts';
import { isoText } from '../../contract/instant.contract.ts';
import { RejectionOut, RoutingPreviewOut } from '../../contract/routing.contract.ts';

// Routing and automation beyond the rule CRUD (routing-rules is a directory
// resource): preview, refused requests, the automation setting, and an
// agent's own availability (which automatic assignment honours).

const presentRejection = (r: RejectionRow): RejectionOut => ({
  id: r.id,
  channel: r.channel,
  ruleId: r.rule_id,
  rule: r.rule_name,
  reason: r.reason,
  requester: r.requester,
  subject: r.subject,
  payload: JSON.parse(r.payload) as unknown,
  createdAt: isoText(r.created_at),
});

/** GET and PUT (every field; validated by the setting's own schema) of one desk setting. */
function settingRoutes(ctx: HttpContext, key: 'automation' | 'lifecycle', what: string) {
  const shape = SETTINGS[key];
  const url = `/api/v1/settings/${key}`;
  const tags = ['Settings'];
  route(
    ctx,
    { method: 'GET', url, summary: `Settings: ${what}`, tags, access: 'admin', response: shape },
    async () => getSetting(ctx.deps.db, key),
  );
  route(
    ctx,
    {
      method: 'PUT',
      url,
      summary: `Replace the settings: ${what}`,
      tags,
      access: 'admin',
      body: shape,
      response: shape,
    },
    async ({ body }) => replaceSetting(ctx.deps, key, body),
  );
}

export function registerRoutingRoutes(ctx: HttpContext): void {
  const tags = ['Routing rules'];
  route(
    ctx,
    {
      method: 'POST',
      url: '/api/v1/routing/preview',
      summary: 'Run a draft rule, or the saved rules, on a sample ticket (nothing is written)',
      tags,
      access: 'admin',
      body: PreviewInput,
      response: RoutingPreviewOut,
      bodyLimit: BODY_LIMITS.text,
    },
    async ({ body }) => previewRouting(ctx.deps, body),
  );
  route(
    ctx,
    {
      method: 'GET',
      url: '/api/v1/routing/rejections',
      summary: 'Requests a rule refused (web, phone, API and email), newest first',
      tags,
      access: 'admin',
      query: RejectionQuery,
      response: z.object({ items: z.array(RejectionOut), nextCursor: z.string().nullable() }),
    },
    async ({ query }) => {
      const p = await listRejections(ctx.deps, query);
      return { items: p.items.map(presentRejection), nextCursor: p.nextCursor };
    },
  );
  settingRoutes(ctx, 'automation', 'the time zone of routing rules and the scheduler interval');
  settingRoutes(ctx, 'lifecycle', 'reopen window, auto-close and reminder delays (days)');
  route(
    ctx,
    {
      method: 'PUT',
      url: '/api/v1/me/availability',
      summary: 'Set my availability (automatic assignment only gives work to available agents)',
      tags: ['Authentication'],
      access: 'agent',
      scope: 'tickets:write',
      body: Availability,
      response: Availability,
    },
    async ({ actor, body }) => {
      if (actor?.kind !== 'agent') throw new AppError('forbidden', 403, 'Only agents have an availability');
      return setAvailability(ctx.deps, actor.id, body);
    },
  );
}
