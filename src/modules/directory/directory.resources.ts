import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { TEMPLATE_KINDS } from '../mail/mail.templates.ts';
import { Email, Ref } from '../tickets/tickets.schemas.ts';
import type { Resource, Row } from './directory.crud.ts';
import * as dir from './directory.repository.ts';

// The admin-managed tables, each described once: its input schemas, how
// input becomes columns, what may still use a row, and its API shape.

const Name = z.string().trim().min(1).max(100);
const AutoAssign = z.enum(['off', 'round_robin', 'least_loaded']);
const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0);

/** Resolves an optional reference; null clears, undefined leaves alone. */
async function refOf(
  trx: Db,
  ref: z.output<typeof Ref> | null | undefined,
  find: (db: Db, r: string | number) => Promise<{ id: number } | undefined>,
  what: string,
): Promise<number | null | undefined> {
  if (ref === undefined || ref === null) return ref;
  const row = await find(trx, ref);
  if (!row) throw notFound(what);
  return row.id;
}

const findAgentId = (db: Db, r: string | number) => dir.findAgent(db, r);
const findSla = async (db: Db, r: string | number) =>
  typeof r === 'number' || /^\d+$/.test(r)
    ? dir.findSlaPlan(db, Number(r))
    : db.selectFrom('sla_plans').select('id').where('name', '=', r).executeTakeFirst();

/** Drops undefined values: a PATCH changes only what it names. */
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const Department = z.strictObject({
  name: Name,
  email: z.email().nullable().optional(),
  manager: Ref.nullable().optional(),
  slaPlan: Ref.nullable().optional(),
  autoAssign: AutoAssign.optional(),
  autoCloseDays: z.number().int().min(0).max(3650).nullable().optional(),
});
export const departments: Resource = {
  name: 'department',
  table: 'departments',
  create: Department,
  update: Department.partial(),
  toRow: async (trx, i: Partial<z.output<typeof Department>>, now, current) =>
    defined({
      name: i.name,
      email: i.email,
      manager_id: await refOf(trx, i.manager, findAgentId, 'agent'),
      sla_plan_id: await refOf(trx, i.slaPlan, findSla, 'sla_plan'),
      auto_assign: i.autoAssign,
      auto_close_days: i.autoCloseDays,
      created_at: current ? undefined : now,
    }),
  usedBy: [
    ['tickets', 'department_id'],
    ['help_topics', 'department_id'],
  ],
};
export const DepartmentOut = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string().nullable(),
  managerId: z.number().nullable(),
  slaPlanId: z.number().nullable(),
  autoAssign: AutoAssign,
  autoCloseDays: z.number().nullable(),
  createdAt: z.string().nullable(),
});
export const presentDepartment = (r: Row) => ({
  id: r.id,
  name: r.name,
  email: r.email ?? null,
  managerId: r.manager_id ?? null,
  slaPlanId: r.sla_plan_id ?? null,
  autoAssign: r.auto_assign,
  autoCloseDays: r.auto_close_days ?? null,
  createdAt: iso(r.created_at),
});

export const TeamOut = z.object({
  id: z.number(),
  name: z.string(),
  leadId: z.number().nullable(),
  autoAssign: AutoAssign,
  members: z.array(z.object({ id: z.number(), name: z.string(), email: z.string() })),
});

const Team = z.strictObject({
  name: Name,
  lead: Ref.nullable().optional(),
  autoAssign: AutoAssign.optional(),
  /** Replaces the member list: agents by email, name or id. */
  members: z.array(Ref).max(500).optional(),
});
export const teams: Resource = {
  name: 'team',
  table: 'teams',
  create: Team,
  update: Team.partial(),
  toRow: async (trx, i: Partial<z.output<typeof Team>>, now, current) =>
    defined({
      name: i.name,
      lead_id: await refOf(trx, i.lead, findAgentId, 'agent'),
      auto_assign: i.autoAssign,
      created_at: current ? undefined : now,
    }),
  afterWrite: async (trx, row, i: Partial<z.output<typeof Team>>) => {
    // team_members has no id column; the crud helpers' in-use check never looks at it.
    if (!i.members) return;
    const ids = new Set<number>();
    for (const m of i.members) ids.add((await refOf(trx, m, findAgentId, 'agent'))!);
    await trx.deleteFrom('team_members').where('team_id', '=', row.id).execute();
    if (ids.size)
      await trx
        .insertInto('team_members')
        .values([...ids].map((agent_id) => ({ team_id: row.id, agent_id })))
        .execute();
  },
  usedBy: [
    ['tickets', 'team_id'],
    ['help_topics', 'team_id'],
  ],
};

const HelpTopic = z.strictObject({
  name: Name,
  department: Ref.nullable().optional(),
  priority: Ref.nullable().optional(),
  slaPlan: Ref.nullable().optional(),
  team: Ref.nullable().optional(),
  autoResponse: z.boolean().optional(),
  isPublic: z.boolean().optional(),
});
export const helpTopics: Resource = {
  name: 'help_topic',
  table: 'help_topics',
  create: HelpTopic,
  update: HelpTopic.partial(),
  toRow: async (trx, i: Partial<z.output<typeof HelpTopic>>, now, current) =>
    defined({
      name: i.name,
      department_id: await refOf(trx, i.department, dir.findDepartment, 'department'),
      priority_id: await refOf(trx, i.priority, dir.findPriority, 'priority'),
      sla_plan_id: await refOf(trx, i.slaPlan, findSla, 'sla_plan'),
      team_id: await refOf(trx, i.team, dir.findTeam, 'team'),
      auto_response: flag(i.autoResponse),
      is_public: flag(i.isPublic),
      created_at: current ? undefined : now,
    }),
  usedBy: [['tickets', 'help_topic_id']],
};
export const HelpTopicOut = z.object({
  id: z.number(),
  name: z.string(),
  departmentId: z.number().nullable(),
  priorityId: z.number().nullable(),
  slaPlanId: z.number().nullable(),
  teamId: z.number().nullable(),
  autoResponse: z.boolean(),
  isPublic: z.boolean(),
});
export const presentHelpTopic = (r: Row) => ({
  id: r.id,
  name: r.name,
  departmentId: r.department_id ?? null,
  priorityId: r.priority_id ?? null,
  slaPlanId: r.sla_plan_id ?? null,
  teamId: r.team_id ?? null,
  autoResponse: r.auto_response === 1,
  isPublic: r.is_public === 1,
});

const Priority = z.strictObject({
  name: Name,
  level: z.number().int().min(0).max(100),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #d9480f'),
  isDefault: z.boolean().optional(),
});
export const priorities: Resource = {
  name: 'priority',
  table: 'priorities',
  create: Priority,
  update: Priority.partial(),
  toRow: async (trx, i: Partial<z.output<typeof Priority>>) => {
    // One default at a time.
    if (i.isDefault) await trx.updateTable('priorities').set({ is_default: 0 }).execute();
    return defined({ name: i.name, level: i.level, color: i.color, is_default: flag(i.isDefault) });
  },
  usedBy: [
    ['tickets', 'priority_id'],
    ['help_topics', 'priority_id'],
  ],
};
export const PriorityOut = z.object({
  id: z.number(),
  name: z.string(),
  level: z.number(),
  color: z.string(),
  isDefault: z.boolean(),
});
export const presentPriority = (r: Row) => ({
  id: r.id,
  name: r.name,
  level: r.level,
  color: r.color,
  isDefault: r.is_default === 1,
});

const Status = z.strictObject({
  name: Name,
  state: z.enum(['open', 'pending', 'resolved', 'closed']),
  pausesSla: z.boolean().optional(),
  sort: z.number().int().min(0).max(1000).optional(),
});
export const statuses: Resource = {
  name: 'status',
  table: 'statuses',
  create: Status,
  // A status's state is what tickets in it mean; changing it under them would lie.
  update: Status.omit({ state: true }).partial(),
  toRow: async (_trx, i: Partial<z.output<typeof Status>>) =>
    defined({ name: i.name, state: i.state, pauses_sla: flag(i.pausesSla), sort: i.sort }),
  usedBy: [['tickets', 'status_id']],
  guardDelete: (row) => {
    if (row.key !== null)
      throw new AppError(
        'status_system',
        409,
        `"${String(row.name)}" is a system status and cannot be deleted`,
      );
  },
};
export const StatusOut = z.object({
  id: z.number(),
  name: z.string(),
  state: z.enum(['open', 'pending', 'resolved', 'closed']),
  system: z.boolean(),
  key: z.string().nullable(),
  pausesSla: z.boolean(),
  sort: z.number(),
});
export const presentStatus = (r: Row) => ({
  id: r.id,
  name: r.name,
  state: r.state,
  system: r.key !== null,
  key: r.key ?? null,
  pausesSla: r.pauses_sla === 1,
  sort: r.sort,
});

const Minutes = z.number().int().positive().max(525_600);
const Targets = z.record(
  z.string().regex(/^\d+$/, 'a priority level'),
  z.strictObject({
    firstResponse: Minutes.optional(),
    nextResponse: Minutes.optional(),
    resolution: Minutes.optional(),
  }),
);
const SlaPlan = z.strictObject({
  name: Name,
  targets: Targets,
  calendar: z.record(z.string(), z.unknown()).nullable().optional(),
});
export const slaPlans: Resource = {
  name: 'sla_plan',
  table: 'sla_plans',
  create: SlaPlan,
  update: SlaPlan.partial(),
  toRow: async (_trx, i: Partial<z.output<typeof SlaPlan>>, now, current) =>
    defined({
      name: i.name,
      targets: i.targets === undefined ? undefined : JSON.stringify(i.targets),
      calendar:
        i.calendar === undefined ? undefined : i.calendar === null ? null : JSON.stringify(i.calendar),
      created_at: current ? undefined : now,
    }),
  usedBy: [
    ['tickets', 'sla_plan_id'],
    ['departments', 'sla_plan_id'],
    ['help_topics', 'sla_plan_id'],
  ],
};
export const SlaPlanOut = z.object({
  id: z.number(),
  name: z.string(),
  targets: Targets,
  calendar: z.record(z.string(), z.unknown()).nullable(),
});
export const presentSlaPlan = (r: Row) => ({
  id: r.id,
  name: r.name,
  targets: JSON.parse(String(r.targets)) as unknown,
  calendar: r.calendar ? (JSON.parse(String(r.calendar)) as unknown) : null,
});

const Organization = z.strictObject({
  name: Name,
  domain: z.string().trim().toLowerCase().max(253).nullable().optional(),
  sharesTickets: z.boolean().optional(),
});
export const organizations: Resource = {
  name: 'organization',
  table: 'organizations',
  create: Organization,
  update: Organization.partial(),
  toRow: async (_trx, i: Partial<z.output<typeof Organization>>, now, current) =>
    defined({
      name: i.name,
      domain: i.domain,
      shares_tickets: flag(i.sharesTickets),
      created_at: current ? undefined : now,
    }),
  usedBy: [['customers', 'organization_id']],
};
export const OrganizationOut = z.object({
  id: z.number(),
  name: z.string(),
  domain: z.string().nullable(),
  sharesTickets: z.boolean(),
});
export const presentOrganization = (r: Row) => ({
  id: r.id,
  name: r.name,
  domain: r.domain ?? null,
  sharesTickets: r.shares_tickets === 1,
});

/** A 422 shaped like parseInput's, for rules that need the stored row to decide. */
const refuse = (path: string, message: string) =>
  invalid('validation_failed', `${path}: ${message}`, [{ path, message }]);

const Folder = z.string().trim().min(1).max(255);
const Imap = z.strictObject({
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65_535).optional(),
  tls: z.boolean().optional(),
  user: z.string().trim().min(1).max(320).nullable().optional(),
  auth: z.enum(['password', 'oauth2']).optional(),
  /** Password or OAuth2 token: write-only; left out of a PATCH, the stored one stays. */
  secret: z.string().min(1).max(8192).nullable().optional(),
  folder: Folder.optional(),
  afterImport: z.enum(['none', 'flag', 'move', 'delete']).optional(),
  archiveFolder: Folder.nullable().optional(),
  pollSeconds: z.number().int().min(10).max(86_400).optional(),
});
const Mailbox = z.strictObject({
  address: Email.transform((a) => a.toLowerCase()),
  name: Name,
  department: Ref.nullable().optional(),
  helpTopic: Ref.nullable().optional(),
  isActive: z.boolean().optional(),
  /** null: not polled over IMAP (receives over SMTP, pipe or API only). */
  imap: Imap.nullable().optional(),
});
const MailboxUpdate = Mailbox.partial().extend({ imap: Imap.partial().nullable().optional() });

/** IMAP input → columns, checked against what is stored (a PATCH may name one field). */
function imapColumns(i: z.output<typeof MailboxUpdate>['imap'], current?: Row) {
  if (i === undefined) return {};
  // Polling state belongs to one server folder: a stale last UID would skip the new folder's mail.
  const restart = { uid_validity: null, last_uid: 0, last_error: null };
  if (i === null) return { imap_host: null, imap_user: null, imap_secret: null, ...restart };
  const host = i.host ?? current?.imap_host ?? null;
  if (host === null) throw refuse('imap.host', 'an IMAP server is needed');
  const afterImport = i.afterImport ?? current?.after_import;
  const archive = i.archiveFolder === undefined ? current?.archive_folder : i.archiveFolder;
  if (afterImport === 'move' && !archive) throw refuse('imap.archiveFolder', 'needed to move imported mail');
  const moved =
    current !== undefined &&
    ((i.host !== undefined && i.host !== current.imap_host) ||
      (i.user !== undefined && i.user !== current.imap_user) ||
      (i.folder !== undefined && i.folder !== current.imap_folder));
  return {
    imap_host: i.host,
    imap_port: i.port,
    imap_tls: flag(i.tls),
    imap_user: i.user,
    imap_auth: i.auth,
    imap_secret: i.secret,
    imap_folder: i.folder,
    after_import: i.afterImport,
    archive_folder: i.archiveFolder,
    poll_seconds: i.pollSeconds,
    ...(moved ? restart : {}),
  };
}

export const mailboxes: Resource = {
  name: 'mailbox',
  table: 'mailboxes',
  create: Mailbox,
  update: MailboxUpdate,
  toRow: async (trx, i: Partial<z.output<typeof MailboxUpdate>>, now, current) =>
    defined({
      address: i.address,
      name: i.name,
      department_id: await refOf(trx, i.department, dir.findDepartment, 'department'),
      help_topic_id: await refOf(trx, i.helpTopic, dir.findHelpTopic, 'help_topic'),
      is_active: flag(i.isActive),
      ...imapColumns(i.imap, current),
      created_at: current ? undefined : now,
    }),
  // Inbound messages keep their raw bytes when the mailbox goes (the key sets null).
  usedBy: [],
};
export const MailboxOut = z.object({
  id: z.number(),
  address: z.string(),
  name: z.string(),
  departmentId: z.number().nullable(),
  helpTopicId: z.number().nullable(),
  isActive: z.boolean(),
  imap: z
    .object({
      host: z.string(),
      port: z.number(),
      tls: z.boolean(),
      user: z.string().nullable(),
      auth: z.enum(['password', 'oauth2']),
      /** The secret itself is never shown. */
      hasSecret: z.boolean(),
      folder: z.string(),
      afterImport: z.enum(['none', 'flag', 'move', 'delete']),
      archiveFolder: z.string().nullable(),
      pollSeconds: z.number(),
    })
    .nullable(),
  uidValidity: z.number().nullable(),
  lastUid: z.number(),
  lastPolledAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export const presentMailbox = (r: Row) => ({
  id: r.id,
  address: r.address,
  name: r.name,
  departmentId: r.department_id ?? null,
  helpTopicId: r.help_topic_id ?? null,
  isActive: r.is_active === 1,
  imap:
    r.imap_host === null
      ? null
      : {
          host: r.imap_host,
          port: r.imap_port,
          tls: r.imap_tls === 1,
          user: r.imap_user ?? null,
          auth: r.imap_auth,
          hasSecret: typeof r.imap_secret === 'string' && r.imap_secret !== '',
          folder: r.imap_folder,
          afterImport: r.after_import,
          archiveFolder: r.archive_folder ?? null,
          pollSeconds: r.poll_seconds,
        },
  uidValidity: r.uid_validity ?? null,
  lastUid: r.last_uid,
  lastPolledAt: iso(r.last_polled_at),
  lastError: r.last_error ?? null,
  createdAt: iso(r.created_at),
});

const TemplateKind = z.enum(TEMPLATE_KINDS);
const MailTemplate = z.strictObject({
  kind: TemplateKind,
  /** Neither: the whole desk's template for this kind. */
  department: Ref.nullable().optional(),
  helpTopic: Ref.nullable().optional(),
  subject: z.string().trim().min(1).max(255),
  body: z
    .string()
    .min(1)
    .max(64 * 1024)
    .refine((b) => Buffer.byteLength(b) <= 64 * 1024, 'at most 64 KiB'),
});
export const mailTemplates: Resource = {
  name: 'mail_template',
  table: 'mail_templates',
  create: MailTemplate,
  update: MailTemplate.partial(),
  toRow: async (trx, i: Partial<z.output<typeof MailTemplate>>, now, current) => {
    const dep = i.department === undefined ? (current?.department_id ?? null) : i.department;
    const topic = i.helpTopic === undefined ? (current?.help_topic_id ?? null) : i.helpTopic;
    // templateFor ranks by one scope; a row with both would never be chosen as the admin expects.
    if (dep !== null && topic !== null)
      throw refuse('helpTopic', 'a template is for a department or a help topic, not both');
    const values = defined({
      kind: i.kind,
      department_id: await refOf(trx, i.department, dir.findDepartment, 'department'),
      help_topic_id: await refOf(trx, i.helpTopic, dir.findHelpTopic, 'help_topic'),
      subject: i.subject,
      body: i.body,
      created_at: current ? undefined : now,
    });
    await refuseTwin(trx, { ...current, ...values }, current?.id);
    return values;
  },
  usedBy: [],
};

/** Two templates for one kind and scope would leave the choice between them to chance. */
async function refuseTwin(trx: Db, t: Record<string, unknown>, id: number | undefined) {
  const is = (v: unknown) => (typeof v === 'number' ? v : null);
  const [dep, topic] = [is(t.department_id), is(t.help_topic_id)];
  const twin = await trx
    .selectFrom('mail_templates')
    .select('id')
    .where('kind', '=', String(t.kind))
    .where((eb) => (dep === null ? eb('department_id', 'is', null) : eb('department_id', '=', dep)))
    .where((eb) => (topic === null ? eb('help_topic_id', 'is', null) : eb('help_topic_id', '=', topic)))
    .where('id', '!=', id ?? 0)
    .executeTakeFirst();
  if (twin)
    throw new AppError('mail_template_exists', 409, 'A template for this kind and scope exists', {
      id: twin.id,
    });
}
export const MailTemplateOut = z.object({
  id: z.number(),
  kind: TemplateKind,
  departmentId: z.number().nullable(),
  helpTopicId: z.number().nullable(),
  subject: z.string(),
  body: z.string(),
  createdAt: z.string().nullable(),
});
export const presentMailTemplate = (r: Row) => ({
  id: r.id,
  kind: r.kind,
  departmentId: r.department_id ?? null,
  helpTopicId: r.help_topic_id ?? null,
  subject: r.subject,
  body: r.body,
  createdAt: iso(r.created_at),
});
