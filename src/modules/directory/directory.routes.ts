import { z } from 'zod';
import type { Access } from '../../http/auth.ts';
import type { HttpContext } from '../../http/context.ts';
import { BODY_LIMITS } from '../../http/body.ts';
import { route } from '../../http/route.ts';
import { notFound } from '../../lib/errors.ts';
import {
  createRow,
  deleteRow,
  listRows,
  readRow,
  updateRow,
  type AdminTable,
  type Row,
} from './directory.admin.service.ts';
import * as D from '../../contract/directory.contract.ts';
import * as R from './directory.admin-tables.ts';
import * as M from '../mail/mail.admin-tables.ts';
import * as SLA from '../sla/sla.admin-tables.ts';
import { SlaPlanOut } from '../../contract/sla.contract.ts';
import * as RR from '../routing/routing.admin-tables.ts';

// The admin-managed tables over HTTP: every staff member (or a key with
// tickets:read) reads them; admins write. Help topics are also readable by
// customers and anonymous visitors, who see the public ones only (the portal
// form). Mailboxes and mail templates are admin-only, reads included.

const IdParams = z.strictObject({ id: z.coerce.number().int().positive() });

interface Exposed {
  path: string;
  tag: string;
  resource: AdminTable;
  /** The API shape, for the OpenAPI document. */
  out: z.ZodType;
  present: (row: Row) => object;
  /** Who may read, when not every staff member (mail server settings are for admins). */
  readAccess?: Access;
}

const EXPOSED: Exposed[] = [
  {
    path: 'departments',
    tag: 'Departments',
    resource: R.departments,
    out: D.DepartmentOut,
    present: R.presentDepartment,
  },
  { path: 'teams', tag: 'Teams', resource: R.teams, out: D.TeamOut, present: R.presentTeam },
  {
    path: 'help-topics',
    tag: 'Help topics',
    resource: R.helpTopics,
    out: D.HelpTopicOut,
    present: R.presentHelpTopic,
  },
  {
    path: 'priorities',
    tag: 'Priorities',
    resource: R.priorities,
    out: D.PriorityOut,
    present: R.presentPriority,
  },
  { path: 'statuses', tag: 'Statuses', resource: R.statuses, out: D.StatusOut, present: R.presentStatus },
  {
    path: 'sla-plans',
    tag: 'SLA plans',
    resource: SLA.slaPlans,
    out: SlaPlanOut,
    present: SLA.presentSlaPlan,
  },
  {
    path: 'organizations',
    tag: 'Organizations',
    resource: R.organizations,
    out: D.OrganizationOut,
    present: R.presentOrganization,
  },
  {
    path: 'mailboxes',
    tag: 'Mailboxes',
    resource: M.mailboxes,
    out: M.MailboxOut,
    present: M.presentMailbox,
    readAccess: 'admin',
  },
  {
    path: 'routing-rules',
    tag: 'Routing rules',
    resource: RR.routingRules,
    out: RR.RoutingRuleOut,
    present: RR.presentRoutingRule,
    readAccess: 'admin',
  },
  {
    path: 'mail-templates',
    tag: 'Mail templates',
    resource: M.mailTemplates,
    out: M.MailTemplateOut,
    present: M.presentMailTemplate,
    readAccess: 'admin',
  },
];

export function registerDirectoryRoutes(ctx: HttpContext): void {
  for (const e of EXPOSED) registerResource(ctx, e);
}

function registerResource(ctx: HttpContext, e: Exposed) {
  const base = `/api/v1/${e.path}`;
  const tags = [e.tag];
  const what = e.resource.name.replace(/_/g, ' ');
  const publicTopics = e.resource === R.helpTopics;
  const shown = (rows: Row[], staff: boolean) =>
    staff || !publicTopics ? rows : rows.filter((r) => r.is_public === 1);
  const isStaff = (actor: { kind: string } | null) => actor !== null && actor.kind !== 'customer';
  const readAccess = e.readAccess ?? (publicTopics ? 'public' : 'agent');

  route(
    ctx,
    {
      method: 'GET',
      url: base,
      summary: `List ${e.path.replace('-', ' ')}`,
      tags,
      access: readAccess,
      scope: 'tickets:read',
      response: z.object({ items: z.array(e.out) }),
    },
    async ({ actor }) => ({
      items: shown(await listRows(ctx.deps.db, e.resource), isStaff(actor)).map((r) => e.present(r)),
    }),
  );
  route(
    ctx,
    {
      method: 'GET',
      url: `${base}/:id`,
      summary: `One ${what}`,
      tags,
      access: readAccess,
      scope: 'tickets:read',
      params: IdParams,
      response: e.out,
    },
    async ({ actor, params }) => {
      const [row] = shown([await readRow(ctx.deps.db, e.resource, params.id)], isStaff(actor));
      if (!row) throw notFound(e.resource.name);
      return e.present(row);
    },
  );
  route(
    ctx,
    {
      method: 'POST',
      url: base,
      summary: `Create a ${what}`,
      tags,
      access: 'admin',
      body: e.resource.create,
      response: e.out,
      status: 201,
      errors: [404, 409],
      // Templates, canned answers, rules and calendars hold long texts and lists.
      bodyLimit: BODY_LIMITS.text,
    },
    async ({ body }) => e.present(await createRow(ctx.deps, e.resource, body)),
  );
  route(
    ctx,
    {
      method: 'PATCH',
      url: `${base}/:id`,
      summary: `Change a ${what}`,
      tags,
      access: 'admin',
      params: IdParams,
      body: e.resource.update,
      response: e.out,
      errors: [409],
      bodyLimit: BODY_LIMITS.text,
    },
    async ({ params, body }) => e.present(await updateRow(ctx.deps, e.resource, params.id, body)),
  );
  route(
    ctx,
    {
      method: 'DELETE',
      url: `${base}/:id`,
      summary: `Delete a ${what} that nothing uses any more`,
      tags,
      access: 'admin',
      params: IdParams,
      status: 204,
      errors: [409],
    },
    async ({ params }) => deleteRow(ctx.deps, e.resource, params.id),
  );
}
