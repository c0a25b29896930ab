import type { MailKind } from '../../db/schema.ts';
import type { HandlerFor, JobData, JobHandlers, JobType } from '../outbox/outbox.registry.ts';
import * as agents from '../directory/agents.repository.ts';
import { findCustomerById } from '../directory/customers.repository.ts';
import { surveyLinks } from '../surveys/surveys.links.ts';
import { findRating } from '../surveys/surveys.repository.ts';
import { referenceFor, sendLetter, type Letter, type OutboxContext } from './mail.outgoing.service.ts';
import { templatesOfKind } from './mail.templates.repository.ts';
import * as threads from './mail.threads.repository.ts';
import {
  accessLinkMail,
  accountExistsMail,
  accountMail,
  render,
  templateFor,
  type TemplateKind,
  type TicketVars,
} from './mail.templates.ts';

// The outbox's mail jobs: each decides who gets which template, then
// sendLetter records and delivers it (see mail.outgoing.service.ts for the
// exactly-once rule). Handlers may run twice; mail_log (job, recipient) is unique.
// Payloads arrive parsed with their type's schema (outbox.registry.ts).

/** The outbox's mail job types: every mail.* and notify.* type. */
export type MailJob = Extract<JobType, `mail.${string}` | `notify.${string}`>;
/** Mail about one ticket's conversation, sent to its requester or its agents. */
type TicketMailJob = Exclude<MailJob, 'mail.access_link' | 'mail.account'>;

async function ticketOf(ctx: OutboxContext, ticketId: number) {
  const t = await threads.ticketForLetter(ctx.db, ticketId);
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
type TicketInfo = NonNullable<Awaited<ReturnType<typeof ticketOf>>>;

/** Which agent alert setting governs a job type (desk-wide and per agent). */
type AlertKey = 'newTicket' | 'assigned' | 'customerReplied' | 'slaWarning';

interface Plan<T extends TicketMailJob> {
  template: TemplateKind;
  kind: MailKind;
  alert?: AlertKey;
  /** Recipients, and anything the template needs besides the ticket. */
  plan(
    ctx: OutboxContext,
    job: JobData<T>,
    info: TicketInfo,
  ): Promise<{ to: string[]; extra?: Partial<TicketVars>; entryId?: number } | undefined>;
}

const requester = async (_c: OutboxContext, _j: unknown, { t }: TicketInfo) => ({ to: [t.email] });
const assignee = async (ctx: OutboxContext, _j: unknown, { t }: TicketInfo) => ({
  to: await agentEmails(ctx, t.assignee_id === null ? [] : [t.assignee_id]),
});

async function slaAlert(ctx: OutboxContext, job: JobData<'notify.sla_warning' | 'notify.sla_breach'>) {
  const dept = job.departmentId === undefined ? [] : await departmentAgents(ctx, job.departmentId);
  return {
    to: [...new Set([...(await agentEmails(ctx, job.agentIds)), ...dept])],
    extra: {
      slaTarget: job.clock.replace('_', ' '),
      slaDue: new Date(job.due).toISOString().replace(/:\d\d\.\d+Z$/, ' UTC'),
    },
  };
}

const plans: { [T in TicketMailJob]: Plan<T> } = {
  'mail.acknowledgement': { template: 'acknowledgement', kind: 'auto', plan: requester },
  'mail.resolved': { template: 'resolved', kind: 'customer', plan: requester },
  'mail.closed': { template: 'closed', kind: 'customer', plan: requester },
  'mail.reminder': { template: 'reminder', kind: 'customer', plan: requester },
  'mail.survey': { template: 'survey', kind: 'customer', plan: surveyPlan },
  'notify.low_rating': { template: 'low_rating_alert', kind: 'agent', plan: lowRatingPlan },
  'mail.reply': {
    template: 'reply',
    kind: 'customer',
    plan: async (ctx, job, { t }) => {
      const body = await entryBody(ctx, job.entryId);
      return body === undefined ? undefined : { to: [t.email], extra: { body }, entryId: job.entryId };
    },
  },
  'notify.new_ticket': {
    template: 'new_ticket_alert',
    kind: 'agent',
    alert: 'newTicket',
    plan: async (ctx, _j, { t }) => ({ to: await departmentAgents(ctx, t.department_id) }),
  },
  'notify.assigned': {
    template: 'assigned_alert',
    kind: 'agent',
    alert: 'assigned',
    plan: async (ctx, job) => ({ to: await agentEmails(ctx, job.agentId ? [job.agentId] : []) }),
  },
  'notify.transferred': {
    template: 'transferred_alert',
    kind: 'agent',
    plan: async (ctx, _j, { t }) => ({ to: await departmentAgents(ctx, t.department_id) }),
  },
  'notify.customer_replied': {
    template: 'customer_replied_alert',
    kind: 'agent',
    alert: 'customerReplied',
    plan: async (ctx, job, info) => ({
      ...(await assignee(ctx, job, info)),
      extra: { body: (await entryBody(ctx, job.entryId)) ?? '' },
    }),
  },
  'notify.note': { template: 'note_alert', kind: 'agent', plan: assignee },
  'notify.reopened': { template: 'reopened_alert', kind: 'agent', plan: assignee },
  'notify.sla_warning': { template: 'sla_warning_alert', kind: 'agent', alert: 'slaWarning', plan: slaAlert },
  'notify.sla_breach': { template: 'sla_breach_alert', kind: 'agent', alert: 'slaWarning', plan: slaAlert },
  'notify.team_assigned': {
    template: 'team_alert',
    kind: 'agent',
    alert: 'assigned',
    plan: async (ctx, job) => {
      const members = await agents.teamMembersWithTeamName(ctx.db, job.teamId ?? -1);
      return {
        to: await agentEmails(
          ctx,
          members.map((m) => m.agent_id),
        ),
        extra: { team: members[0]?.name ?? 'assigned' },
      };
    },
  },
};

/** The customer's rating links; the scale is the ticket's department's at sending time. */
async function surveyPlan(ctx: OutboxContext, job: JobData<'mail.survey'>, { t }: TicketInfo) {
  if (!job.token) return undefined;
  const { settings } = await referenceFor(ctx);
  const links = surveyLinks(settings.surveys, t.department_id, `${ctx.publicUrl}/survey/${job.token}`);
  return { to: [t.email], extra: { surveyLinks: links } };
}

async function lowRatingPlan(ctx: OutboxContext, job: JobData<'notify.low_rating'>) {
  const rating = await findRating(ctx.db, job.ticketId);
  if (!rating) return undefined;
  const score = rating.scale === 'binary' ? (rating.score === 5 ? 'good' : 'bad') : `${rating.score} of 5`;
  return {
    to: await agentEmails(ctx, job.agentId ? [job.agentId] : []),
    extra: { score, comment: rating.comment ? `"${rating.comment}"` : '(no comment)' },
  };
}

const entryBody = (ctx: OutboxContext, entryId: number | undefined) =>
  entryId === undefined ? Promise.resolve(undefined) : threads.entryBody(ctx.db, entryId);

const agentEmails = (ctx: OutboxContext, ids: number[]) => agents.activeAgentEmails(ctx.db, ids);

const departmentAgents = async (ctx: OutboxContext, departmentId: number) =>
  agents.activeAgentEmails(ctx.db, await agents.agentIdsOfDepartment(ctx.db, departmentId));

/** An agent's own choice: `{"customerReplied": false}` turns that alert off; missing keys mean on. */
function wants(notifications: string, alert: AlertKey): boolean {
  try {
    return (JSON.parse(notifications) as Record<string, unknown>)[alert] !== false;
  } catch {
    return true; // an unreadable preference is no preference: the alert is on, as for a missing key
  }
}

/** The thread's Message-IDs for In-Reply-To / References: the first message and the latest one. */
async function threadIds(ctx: OutboxContext, ticketId: number) {
  const list = await threads.threadMessageIds(ctx.db, ticketId);
  const references = [...new Set([list[0], list[list.length - 1]].filter((v): v is string => Boolean(v)))];
  return references.length ? { inReplyTo: references[references.length - 1]!, references } : {};
}

const entryFiles = (ctx: OutboxContext, entryId: number | undefined) =>
  entryId === undefined ? Promise.resolve([]) : threads.entryFiles(ctx.db, entryId);

/** A portal sign-in link; not about one ticket's conversation. */
const accessLink =
  (ctx: OutboxContext): HandlerFor<'mail.access_link'> =>
  async (p, job) => {
    const c = await findCustomerById(ctx.db, p.customerId);
    if (!c) return;
    const url = `${ctx.publicUrl}/access/${p.token}`;
    const mail = p.reason === 'account_exists' ? accountExistsMail(c.name, url) : accessLinkMail(c.name, url);
    await sendLetter(ctx, job, {
      ticketId: p.ticketId,
      departmentId: null,
      to: [c.email],
      mail,
      kind: 'customer',
    });
  };

/** Confirmation links and notices about an address (sign-up, email change); the address is in the job. */
const accountLetter =
  (ctx: OutboxContext): HandlerFor<'mail.account'> =>
  async (p, job) => {
    const url =
      p.template === 'confirm_signup'
        ? `${ctx.publicUrl}/confirm/${p.token}`
        : p.template === 'confirm_email'
          ? `${ctx.publicUrl}/confirm-email/${p.token}`
          : p.template === 'staff_address'
            ? `${ctx.publicUrl}/agent/`
            : `${ctx.publicUrl}/`;
    await sendLetter(ctx, job, {
      ticketId: null,
      departmentId: null,
      to: [p.to],
      mail: accountMail(p.template, url),
      kind: 'customer',
    });
  };

function ticketHandler<T extends TicketMailJob>(ctx: OutboxContext, p: Plan<T>): HandlerFor<T> {
  return async (input, job) => {
    const info = await ticketOf(ctx, input.ticketId);
    if (!info) return; // the ticket was deleted: nothing to tell anyone
    if (p.alert && !(await referenceFor(ctx)).settings.mail.alerts[p.alert]) return;
    const out = await p.plan(ctx, input, info);
    if (!out || out.to.length === 0) return;
    const to = p.alert && p.kind === 'agent' ? await filterByPreference(ctx, out.to, p.alert) : out.to;
    const template = templateFor(p.template, await templatesOfKind(ctx.db, p.template), {
      departmentId: info.t.department_id,
      helpTopicId: info.t.help_topic_id,
    });
    const letter: Letter = {
      ticketId: info.t.id,
      departmentId: info.t.department_id,
      to,
      mail: render(template, { ...info.vars, ...out.extra }),
      kind: p.kind,
      // Loop safety concerns robots writing by mail; a person at the portal, on the phone or behind the API always gets an answer.
      ...(p.kind === 'auto' ? { answersEmail: info.t.source === 'email' } : {}),
      ...(await threadIds(ctx, info.t.id)),
      attachments: await entryFiles(ctx, out.entryId),
    };
    await sendLetter(ctx, job, letter);
  };
}

async function filterByPreference(ctx: OutboxContext, emails: string[], alert: AlertKey) {
  const rows = await agents.agentsWithEmails(ctx.db, emails);
  const off = new Set(rows.filter((r) => !wants(r.notifications, alert)).map((r) => r.email));
  return emails.filter((e) => !off.has(e));
}

export function mailHandlers(ctx: OutboxContext): Pick<JobHandlers, MailJob> {
  // fromEntries forgets the keys; they are exactly those of `plans`.
  const ticketMail = Object.fromEntries(
    Object.entries(plans).map(([type, plan]) => [type, ticketHandler(ctx, plan)]),
  ) as Pick<JobHandlers, TicketMailJob>;
  return { ...ticketMail, 'mail.access_link': accessLink(ctx), 'mail.account': accountLetter(ctx) };
}
