import { REPLY_SEPARATOR } from './mail.quotes.ts';

// Every text Deskline mails, in one place. Admins override a kind for the
// whole desk, a department or a help topic (table mail_templates, the most
// specific wins); the texts here are the defaults. Variables are written
// {{name}}; an unknown one renders empty.

export interface TicketVars {
  number: string;
  subject: string;
  requesterName: string;
  departmentName: string;
  portalUrl: string;
  agentUrl: string;
  /** The reply's text, for kind "reply". */
  body?: string;
  /** The team's name, for kind "team_alert". */
  team?: string;
  /** Which SLA target ("first response", "next response", "resolution"), for the SLA alerts. */
  slaTarget?: string;
  /** When that target is (or was) due, as text. */
  slaDue?: string;
  /** The survey's rating links, one a line, for kind "survey". */
  surveyLinks?: string;
  /** The rating and its comment, for kind "low_rating_alert". */
  score?: string;
  comment?: string;
}

export interface Rendered {
  subject: string;
  body: string;
}

interface Template {
  subject: string;
  body: string;
}

const tag = '[#{{number}}]';

export const DEFAULT_TEMPLATES = {
  acknowledgement: {
    subject: `${tag} {{subject}}`,
    body: `Dear {{requesterName}},\n\nThank you for contacting {{departmentName}}. We have received your request and opened ticket #{{number}}.\nA member of our team will answer you soon. You can follow the ticket here:\n{{portalUrl}}\n\nTo add anything, just reply to this email.\n`,
  },
  reply: {
    subject: `Re: ${tag} {{subject}}`,
    body: `${REPLY_SEPARATOR}\n\n{{body}}\n\nTicket #{{number}}: {{portalUrl}}\n`,
  },
  resolved: {
    subject: `${tag} Resolved: {{subject}}`,
    body: `Dear {{requesterName}},\n\nWe believe ticket #{{number}} is resolved. Is your problem solved?\n\nYes, it is solved: {{portalUrl}}?answer=solved\nNo, it is not: {{portalUrl}}?answer=not-solved\n\nThe page asks you to confirm with a click. You can also just reply to this email and the ticket will be reopened.\n`,
  },
  survey: {
    subject: `${tag} How did we do? {{subject}}`,
    body: `Dear {{requesterName}},\n\nHow satisfied are you with our help on ticket #{{number}}? Choose a rating:\n\n{{surveyLinks}}\n\nThe page that opens asks you to confirm, and you may add a comment.\n`,
  },
  reminder: {
    subject: `${tag} Waiting for your reply: {{subject}}`,
    body: `Dear {{requesterName}},\n\nWe are waiting for your answer on ticket #{{number}} before we can go on. Reply to this email or open the ticket:\n{{portalUrl}}\n`,
  },
  closed: {
    subject: `${tag} Closed: {{subject}}`,
    body: `Dear {{requesterName}},\n\nTicket #{{number}} is now closed. If you need more help with it, reply to this email.\n{{portalUrl}}\n`,
  },
  new_ticket_alert: {
    subject: `New ticket ${tag} {{subject}}`,
    body: `A new ticket arrived in {{departmentName}} from {{requesterName}}.\n{{agentUrl}}\n`,
  },
  assigned_alert: {
    subject: `Assigned to you ${tag} {{subject}}`,
    body: `Ticket #{{number}} from {{requesterName}} is now assigned to you.\n{{agentUrl}}\n`,
  },
  team_alert: {
    subject: `Team {{team}}: ${tag} {{subject}}`,
    body: `Ticket #{{number}} was handed to the {{team}} team.\n{{agentUrl}}\n`,
  },
  transferred_alert: {
    subject: `Transferred to {{departmentName}} ${tag} {{subject}}`,
    body: `Ticket #{{number}} was transferred to {{departmentName}}.\n{{agentUrl}}\n`,
  },
  customer_replied_alert: {
    subject: `Customer replied ${tag} {{subject}}`,
    body: `${REPLY_SEPARATOR}\n\n{{requesterName}} replied on ticket #{{number}}:\n\n{{body}}\n\nAnswer this email to reply to the customer, or open the ticket:\n{{agentUrl}}\n`,
  },
  note_alert: {
    subject: `New internal note ${tag} {{subject}}`,
    body: `Someone added an internal note to ticket #{{number}}.\n{{agentUrl}}\n`,
  },
  reopened_alert: {
    subject: `Reopened ${tag} {{subject}}`,
    body: `Ticket #{{number}} was reopened.\n{{agentUrl}}\n`,
  },
  sla_warning_alert: {
    subject: `SLA due soon ${tag} {{subject}}`,
    body: `Ticket #{{number}} from {{requesterName}} is close to its {{slaTarget}} target, due {{slaDue}}.\n{{agentUrl}}\n`,
  },
  low_rating_alert: {
    subject: `Low rating ${tag} {{subject}}`,
    body: `{{requesterName}} rated ticket #{{number}} {{score}}.\n{{comment}}\n{{agentUrl}}\n`,
  },
  sla_breach_alert: {
    subject: `SLA missed ${tag} {{subject}}`,
    body: `Ticket #{{number}} from {{requesterName}} missed its {{slaTarget}} target, due {{slaDue}}.\n{{agentUrl}}\n`,
  },
} satisfies Record<string, Template>;

export type TemplateKind = keyof typeof DEFAULT_TEMPLATES;
export const TEMPLATE_KINDS = Object.keys(DEFAULT_TEMPLATES) as TemplateKind[];

/** {{name}} → value; the ticket token is put back in front of a subject an admin left it out of. */
export function render(t: Template, vars: TicketVars): Rendered {
  const fill = (s: string) =>
    s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      const v = (vars as unknown as Record<string, unknown>)[name];
      return typeof v === 'string' ? v : '';
    });
  const subject = fill(t.subject).replace(/[\r\n]+/g, ' ');
  const token = `[#${vars.number}]`;
  return { subject: subject.includes(token) ? subject : `${token} ${subject}`, body: fill(t.body) };
}

/** An admin's template of one kind (mail_templates): for the desk, a department or a help topic. */
export interface StoredTemplate extends Template {
  department_id: number | null;
  help_topic_id: number | null;
}

/** The admin's most specific template for this kind and ticket among `rows` (that kind's), else the default. */
export function templateFor(
  kind: TemplateKind,
  rows: StoredTemplate[],
  scope: { departmentId: number; helpTopicId: number | null },
): Template {
  const rank = (r: StoredTemplate) =>
    r.help_topic_id !== null
      ? r.help_topic_id === scope.helpTopicId
        ? 3
        : -1
      : r.department_id !== null
        ? r.department_id === scope.departmentId
          ? 2
          : -1
        : 1;
  const best = rows
    .map((r) => ({ r, score: rank(r) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)[0];
  return best ? { subject: best.r.subject, body: best.r.body } : DEFAULT_TEMPLATES[kind];
}

/** A sign-in link is about a person, not a ticket: not customisable per department. */
export const accessLinkMail = (name: string, url: string): Rendered => ({
  subject: 'Your sign-in link',
  body: `Dear ${name},\n\nUse this link to open your tickets. It works once, within 24 hours:\n${url}\n\nIf you did not ask for it, ignore this email.\n`,
});

/** A sign-up with an address that already has an account: the owner hears of it, with a way in. */
export const accountExistsMail = (name: string, url: string): Rendered => ({
  subject: 'You already have an account',
  body: `Dear ${name},\n\nSomeone asked to create an account with this address, but it already has one. Sign in with your password, or use this link (it works once, within 24 hours):\n${url}\n\nIf you did not ask, ignore this email: nothing has changed.\n`,
});

/**
 * Account mails that are about an address, not a ticket (auth/accounts.service.ts).
 * They go to an address on a stranger's word, so they carry no text the
 * stranger typed (not even the name): nothing to phish with.
 */
export type AccountMail = 'confirm_signup' | 'confirm_email' | 'staff_address' | 'address_taken';

export function accountMail(kind: AccountMail, url: string): Rendered {
  const ignore = 'If you did not ask for this, ignore this email: nothing changes.';
  switch (kind) {
    case 'confirm_signup':
      return {
        subject: 'Confirm your email address',
        body: `Hello,\n\nTo finish creating your account, open this link and enter the password you chose. It works once, within 24 hours:\n${url}\n\n${ignore}\n`,
      };
    case 'confirm_email':
      return {
        subject: 'Confirm your new email address',
        body: `Hello,\n\nTo make this your account's email address, open this link. It works once, within 24 hours:\n${url}\n\n${ignore}\n`,
      };
    case 'staff_address':
      return {
        subject: 'This address cannot have a customer account',
        body: `Someone asked to use this address for a customer account. It belongs to a member of staff, so no account was made; staff sign in at ${url}\n\n${ignore}\n`,
      };
    case 'address_taken':
      return {
        subject: 'This address already has an account',
        body: `Someone asked to move an account to this address, but the address already has an account of its own, so nothing was changed. Sign in at ${url}\n\n${ignore}\n`,
      };
  }
}
