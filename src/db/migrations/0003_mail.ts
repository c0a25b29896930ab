import { sql } from 'kysely';
import { flag, isPostgres, ref, required, withId, type AnyDb } from './helpers.ts';

// The email channel: mailboxes (addresses we receive at, optionally polled
// over IMAP), every inbound message kept raw with what became of it, mail
// templates per department / help topic, and delivery state on the mail log.

export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  const create = (name: string) => withId(db, s.createTable(name));
  const bytes = isPostgres(db) ? 'bytea' : 'blob';

  await create('mailboxes')
    .addColumn('address', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', required)
    .addColumn('department_id', 'bigint', ref('departments', 'set null'))
    .addColumn('help_topic_id', 'bigint', ref('help_topics', 'set null'))
    .addColumn('is_active', 'integer', flag(1))
    // IMAP polling; a mailbox without a host only receives over SMTP / pipe / API.
    .addColumn('imap_host', 'text')
    .addColumn('imap_port', 'integer', (c) => c.notNull().defaultTo(993))
    .addColumn('imap_tls', 'integer', flag(1))
    .addColumn('imap_user', 'text')
    .addColumn('imap_auth', 'text', (c) => c.notNull().defaultTo('password'))
    .addColumn('imap_secret', 'text')
    .addColumn('imap_folder', 'text', (c) => c.notNull().defaultTo('INBOX'))
    .addColumn('after_import', 'text', (c) => c.notNull().defaultTo('flag'))
    .addColumn('archive_folder', 'text')
    .addColumn('poll_seconds', 'integer', (c) => c.notNull().defaultTo(60))
    // Where polling has got to: the folder's UIDVALIDITY and the last UID committed.
    .addColumn('uid_validity', 'bigint')
    .addColumn('last_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_polled_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', required)
    .execute();

  await create('inbound_messages')
    .addColumn('channel', 'text', required)
    .addColumn('mailbox_id', 'bigint', ref('mailboxes', 'set null'))
    .addColumn('message_id', 'text')
    .addColumn('from_address', 'text')
    .addColumn('subject', 'text')
    .addColumn('size', 'integer', required)
    .addColumn('raw', bytes, required)
    .addColumn('status', 'text', required)
    .addColumn('reason', 'text')
    .addColumn('ticket_id', 'bigint', ref('tickets', 'set null'))
    .addColumn('entry_id', 'bigint', ref('thread_entries', 'set null'))
    // "mailbox:uidvalidity:uid" for IMAP: the same server message is never imported twice.
    .addColumn('imap_key', 'text', (c) => c.unique())
    .addColumn('received_at', 'bigint', required)
    .execute();
  await s.createIndex('inbound_messages_message_id').on('inbound_messages').column('message_id').execute();
  await s.createIndex('inbound_messages_ticket').on('inbound_messages').column('ticket_id').execute();
  await s
    .createIndex('inbound_messages_flagged')
    .on('inbound_messages')
    .column('id')
    .where(sql.ref('status'), 'in', [sql.lit('flagged'), sql.lit('rejected')])
    .execute();

  await create('mail_templates')
    .addColumn('kind', 'text', required)
    .addColumn('department_id', 'bigint', ref('departments', 'cascade'))
    .addColumn('help_topic_id', 'bigint', ref('help_topics', 'cascade'))
    .addColumn('subject', 'text', required)
    .addColumn('body', 'text', required)
    .addColumn('created_at', 'bigint', required)
    .execute();
  await s.createIndex('mail_templates_kind').on('mail_templates').column('kind').execute();

  // Delivery: one row per (job, recipient), written before the send, marked after.
  for (const [name, type] of [
    ['kind', 'text'],
    ['from_address', 'text'],
    ['in_reply_to', 'text'],
    ['references', 'text'],
    ['attachments', 'text'],
    ['sent_at', 'bigint'],
    ['error', 'text'],
  ] as const) {
    await s.alterTable('mail_log').addColumn(name, type).execute();
  }
  await s.createIndex('mail_log_message_id').on('mail_log').column('message_id').execute();
  // Auto-replies per address per hour (loop safety).
  await s.createIndex('mail_log_rcpt_created').on('mail_log').columns(['to_address', 'created_at']).execute();

  // Which alerts an agent wants by email (JSON; missing keys mean on).
  await s
    .alterTable('agents')
    .addColumn('notifications', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of ['mail_templates', 'inbound_messages', 'mailboxes']) await db.schema.dropTable(t).execute();
}
