import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { JobHandler } from '../../jobs/runner.ts';
import { templates, type Rendered, type TicketVars } from './mail.templates.ts';

// Job handlers for outgoing mail. Each writes its messages to the mail log,
// keyed by (job, recipient) so a re-run after a crash mails nobody twice.
// Delivery over SMTP (SMTP_URL) is the email channel's work; without it the
// mail log is where admins read what would have been sent.

const TicketJob = z.object({
  ticketId: z.number(),
  entryId: z.number().optional(),
  agentId: z.number().optional(),
  teamId: z.number().optional(),
});
type TicketJob = z.infer<typeof TicketJob>;

interface MailContext {
  db: Db;
  clock: Clock;
  publicUrl: string;
}

async function ticketVars(ctx: MailContext, ticketId: number) {
  const t = await ctx.db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.requester_id')
    .innerJoin('departments', 'departments.id', 'tickets.department_id')
    .select([
      'tickets.id',
      'tickets.number',
      'tickets.subject',
      'tickets.department_id',
      'tickets.assignee_id',
      'customers.email',
      'customers.name',
      'departments.name as department',
    ])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  if (!t) return undefined;
  const vars: TicketVars = {
    number: t.number,
    subject: t.subject,
    requesterName: t.name,
    departmentName: t.department,
    portalUrl: `${ctx.publicUrl}/tickets/${t.number}`,
    agentUrl: `${ctx.publicUrl}/agent/tickets/${t.number}`,
  };
  return { t, vars };
}

async function logMail(
  ctx: MailContext,
  jobId: number,
  ticketId: number | null,
  to: string[],
  mail: Rendered,
) {
  const host = new URL(ctx.publicUrl).hostname;
  const now = ctx.clock.now();
  const rows = [...new Set(to)].map((address) => ({
    job_id: jobId,
    ticket_id: ticketId,
    to_address: address,
    subject: mail.subject,
    body: mail.body,
    // A digest of the whole address: a prefix of it gave two recipients sharing their first 8 characters one Message-ID.
    message_id: `<deskline.${jobId}.${crypto.createHash('sha256').update(address).digest('hex').slice(0, 16)}@${host}>`,
    status: 'logged',
    created_at: now,
  }));
  if (rows.length === 0) return;
  await ctx.db
    .insertInto('mail_log')
    .values(rows)
    .onConflict((oc) => oc.columns(['job_id', 'to_address']).doNothing())
    .execute();
}

const agentsOfDepartment = (db: Db, departmentId: number) =>
  db
    .selectFrom('agents')
    .innerJoin('agent_departments', 'agent_departments.agent_id', 'agents.id')
    .select('agents.email')
    .where('agent_departments.department_id', '=', departmentId)
    .where('agents.is_active', '=', 1)
    .execute()
    .then((rows) => rows.map((r) => r.email));

const agentEmail = async (db: Db, id: number | null | undefined) =>
  id
    ? (await db.selectFrom('agents').select('email').where('id', '=', id).executeTakeFirst())?.email
    : undefined;

type Plan = (
  ctx: MailContext,
  job: TicketJob,
  t: NonNullable<Awaited<ReturnType<typeof ticketVars>>>,
) => Promise<{ to: string[]; mail: Rendered } | undefined>;

const plans: Record<string, Plan> = {
  'mail.acknowledgement': async (_c, _j, { t, vars }) => ({
    to: [t.email],
    mail: templates.acknowledgement(vars),
  }),
  'mail.resolved': async (_c, _j, { t, vars }) => ({ to: [t.email], mail: templates.resolved(vars) }),
  'mail.closed': async (_c, _j, { t, vars }) => ({ to: [t.email], mail: templates.closed(vars) }),
  'mail.reply': async (ctx, job, { t, vars }) => {
    const entry = await ctx.db
      .selectFrom('thread_entries')
      .select('body')
      .where('id', '=', job.entryId ?? -1)
      .executeTakeFirst();
    return entry ? { to: [t.email], mail: templates.reply(vars, entry.body) } : undefined;
  },
  'notify.new_ticket': async (ctx, _j, { t, vars }) => ({
    to: await agentsOfDepartment(ctx.db, t.department_id),
    mail: templates.newTicketAlert(vars),
  }),
  'notify.assigned': async (ctx, job, { vars }) =>
    optional(await agentEmail(ctx.db, job.agentId), templates.assignedAlert(vars)),
  'notify.transferred': async (ctx, _j, { t, vars }) => ({
    to: await agentsOfDepartment(ctx.db, t.department_id),
    mail: templates.transferredAlert(vars),
  }),
  'notify.customer_replied': async (ctx, _j, { t, vars }) =>
    optional(await agentEmail(ctx.db, t.assignee_id), templates.customerRepliedAlert(vars)),
  'notify.note': async (ctx, _j, { t, vars }) =>
    optional(await agentEmail(ctx.db, t.assignee_id), templates.noteAlert(vars)),
  'notify.reopened': async (ctx, _j, { t, vars }) =>
    optional(await agentEmail(ctx.db, t.assignee_id), templates.reopenedAlert(vars)),
  'notify.team_assigned': async (ctx, job, { vars }) => {
    const members = await ctx.db
      .selectFrom('team_members')
      .innerJoin('agents', 'agents.id', 'team_members.agent_id')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select(['agents.email', 'teams.name'])
      .where('team_members.team_id', '=', job.teamId ?? -1)
      .execute();
    return {
      to: members.map((m) => m.email),
      mail: templates.teamAlert(vars, members[0]?.name ?? 'assigned'),
    };
  },
};

const optional = (to: string | undefined, mail: Rendered) => (to ? { to: [to], mail } : undefined);

const AccessLinkJob = z.object({
  customerId: z.number(),
  token: z.string(),
  ticketId: z.number().nullable(),
});

/** A portal sign-in link; not about one ticket, so outside the ticket plans. */
const accessLink =
  (ctx: MailContext): JobHandler =>
  async (payload, job) => {
    const p = AccessLinkJob.parse(payload);
    const c = await ctx.db
      .selectFrom('customers')
      .select(['email', 'name'])
      .where('id', '=', p.customerId)
      .executeTakeFirst();
    if (!c) return;
    const url = `${ctx.publicUrl}/access/${p.token}`;
    await logMail(ctx, job.id, p.ticketId, [c.email], templates.accessLink(c.name, url));
  };

export function mailHandlers(ctx: MailContext): Record<string, JobHandler> {
  return Object.fromEntries([
    ['mail.access_link', accessLink(ctx)],
    ...Object.entries(plans).map(([type, plan]): [string, JobHandler] => [
      type,
      async (payload, job) => {
        const p = TicketJob.parse(payload);
        const found = await ticketVars(ctx, p.ticketId);
        if (!found) return; // the ticket was deleted: nothing to tell anyone
        const out = await plan(ctx, p, found);
        if (out) await logMail(ctx, job.id, p.ticketId, out.to, out.mail);
      },
    ]),
  ]);
}
