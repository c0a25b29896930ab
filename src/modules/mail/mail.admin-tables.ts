import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import {
  defined,
  flag,
  iso,
  Name,
  refOf,
  type AdminTable,
  type Row,
} from '../directory/directory.admin.service.ts';
import * as dir from '../directory/directory.repository.ts';
import { IdOrName } from '../../contract/common.contract.ts';
import { Email } from '../../contract/email.contract.ts';
import { findTemplateTwin } from './mail.templates.repository.ts';
import { TEMPLATE_KINDS } from './mail.templates.ts';

// The email channel's admin-managed tables (mailboxes, mail templates),
// described for directory.admin.service.ts.

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
  department: IdOrName.nullable().optional(),
  helpTopic: IdOrName.nullable().optional(),
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

export const mailboxes: AdminTable = {
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
  department: IdOrName.nullable().optional(),
  helpTopic: IdOrName.nullable().optional(),
  subject: z.string().trim().min(1).max(255),
  body: z
    .string()
    .min(1)
    .max(64 * 1024)
    .refine((b) => Buffer.byteLength(b) <= 64 * 1024, 'at most 64 KiB'),
});
export const mailTemplates: AdminTable = {
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
  const twin = await findTemplateTwin(trx, {
    kind: String(t.kind),
    departmentId: dep,
    helpTopicId: topic,
    exceptId: id ?? 0,
  });
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
