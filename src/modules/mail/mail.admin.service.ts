import { z } from 'zod';
import { decodeCursor, pageOf, Paging } from '../../lib/cursor.ts';
import type { InboundChannel, InboundStatus, MailStatus } from '../../db/schema.ts';
import type { Deps } from '../../lib/deps.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor, AgentActor } from '../auth/auth.actor.ts';
import * as agents from '../directory/agents.repository.ts';
import { getSetting, replaceSetting, type Setting } from '../settings/settings.service.ts';
import { findInboundRaw, pageOfInbound } from './mail.inbound.repository.ts';
import { pageOfLog } from './mail.log.repository.ts';
import { DEFAULT_TEMPLATES, TEMPLATE_KINDS, type TemplateKind } from './mail.templates.ts';
import { NotificationPrefs, type NotificationsOut } from '../../contract/mail.contract.ts';

// What an admin looks at and changes in the email channel: the mail log
// (outbox), every inbound message with what became of it, the `mail`
// setting, and each agent's own alert choices. Lists are keyset-paged by id
// (insertion order, the primary key) so a deep page costs what the first does.

const MAIL_STATUSES = ['pending', 'sent', 'logged', 'bounced', 'skipped'] as const satisfies MailStatus[];
const INBOUND_STATUSES = [
  'ticket',
  'reply',
  'note',
  'bounce',
  'auto_reply',
  'rejected',
  'flagged',
  'duplicate',
  'ignored',
] as const satisfies InboundStatus[];
const CHANNELS = ['smtp', 'imap', 'pipe', 'api'] as const satisfies InboundChannel[];

export const OutboxQuery = z.strictObject({
  ...Paging,
  status: z.enum(MAIL_STATUSES).optional(),
  /** A ticket number. */
  ticket: z.string().trim().min(1).max(64).optional(),
  /** A recipient address (the log keeps them lower-case). */
  to: z.string().trim().toLowerCase().min(1).max(254).optional(),
});
export const InboundQuery = z.strictObject({
  ...Paging,
  status: z.enum(INBOUND_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
});

export async function listOutbox(deps: Deps, raw: unknown) {
  const { cursor, limit, ...filters } = parseInput(OutboxQuery, raw);
  const rows = await pageOfLog(deps.db, {
    ...filters,
    beforeId: cursor ? decodeCursor(cursor, 1)[0]! : undefined,
    limit: limit + 1,
  });
  return pageOf(rows, limit);
}
export type OutboxRow = Awaited<ReturnType<typeof listOutbox>>['items'][number];

/** Inbound messages without their raw bytes (those are fetched one at a time). */
export async function listInbound(deps: Deps, raw: unknown) {
  const { cursor, limit, ...filters } = parseInput(InboundQuery, raw);
  const rows = await pageOfInbound(deps.db, {
    ...filters,
    beforeId: cursor ? decodeCursor(cursor, 1)[0]! : undefined,
    limit: limit + 1,
  });
  return pageOf(rows, limit);
}
export type InboundListRow = Awaited<ReturnType<typeof listInbound>>['items'][number];

/** The message exactly as it arrived. */
export async function inboundRaw(deps: Deps, id: number): Promise<Buffer> {
  const raw = await findInboundRaw(deps.db, id);
  if (!raw) throw notFound('inbound_message');
  return raw;
}

export const getMailSettings = (deps: Deps) => getSetting(deps.db, 'mail');

/** Replaces the `mail` setting (intake reads it from the reference snapshot: own addresses, limits). */
export const replaceMailSettings = (deps: Deps, raw: unknown): Promise<Setting<'mail'>> =>
  replaceSetting(deps, 'mail', raw);

/** The template texts Deskline ships, and the variables each can use. */
const VARIABLES = {
  number: 'The ticket number',
  subject: "The ticket's subject",
  requesterName: "The requester's name",
  departmentName: "The ticket's department",
  portalUrl: 'The ticket in the customer portal',
  agentUrl: 'The ticket in the agent view',
  body: "The message's text (reply, customer_replied_alert)",
  team: "The team's name (team_alert)",
  slaTarget: 'Which SLA target: first response, next response or resolution (SLA alerts)',
  slaDue: 'When that target is due (SLA alerts)',
  surveyLinks: 'One rating link per score, one a line (survey)',
  score: 'The rating, as text (low_rating_alert)',
  comment: "The customer's comment on the rating (low_rating_alert)",
};
type Variable = keyof typeof VARIABLES;
const COMMON: Variable[] = ['number', 'subject', 'requesterName', 'departmentName', 'portalUrl', 'agentUrl'];
// Only these kinds are rendered with a body or a team (see the plans in mail.jobs.ts).
const EXTRA: Partial<Record<TemplateKind, Variable[]>> = {
  reply: ['body'],
  customer_replied_alert: ['body'],
  team_alert: ['team'],
  sla_warning_alert: ['slaTarget', 'slaDue'],
  sla_breach_alert: ['slaTarget', 'slaDue'],
  survey: ['surveyLinks'],
  low_rating_alert: ['score', 'comment'],
};

export function templateDefaults() {
  return {
    variables: Object.entries(VARIABLES).map(([name, description]) => ({ name, description })),
    items: TEMPLATE_KINDS.map((kind) => ({
      kind,
      subject: DEFAULT_TEMPLATES[kind].subject,
      body: DEFAULT_TEMPLATES[kind].body,
      variables: [...COMMON, ...(EXTRA[kind] ?? [])],
    })),
  };
}

const ALERTS = ['newTicket', 'assigned', 'customerReplied', 'slaWarning'] as const;
export type Notifications = NotificationsOut;

/** Preferences belong to a person: an API key acting as the system has none. */
function agentOf(actor: Actor): AgentActor {
  if (actor.kind !== 'agent')
    throw new AppError('agent_required', 403, 'Only an agent has notification preferences');
  return actor;
}

/** Missing keys (and an unreadable value) mean on, as the mail handlers read them. */
function readPrefs(json: string): Notifications {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed && typeof parsed === 'object') stored = parsed as Record<string, unknown>;
  } catch {
    // treated as empty
  }
  return Object.fromEntries(ALERTS.map((k) => [k, stored[k] !== false])) as Notifications;
}

export async function getNotifications(deps: Deps, actor: Actor): Promise<Notifications> {
  const row = await agents.findNotifications(deps.db, agentOf(actor).id);
  if (!row) throw notFound('agent');
  return readPrefs(row.notifications);
}

/** Replaces the agent's choices; a key left out is on again. */
export async function setNotifications(deps: Deps, actor: Actor, raw: unknown): Promise<Notifications> {
  const { id } = agentOf(actor);
  const input = parseInput(NotificationPrefs, raw);
  const row = await agents.setNotifications(deps.db, id, JSON.stringify(input), deps.clock.now());
  if (!row) throw notFound('agent');
  return readPrefs(row.notifications);
}
