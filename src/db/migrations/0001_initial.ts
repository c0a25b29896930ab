import { sql } from 'kysely';
import { flag, isPostgres, ref, required, withId, type AnyDb } from './helpers.ts';

// The whole first schema. Ids are bigint/integer identities; instants are epoch
// milliseconds; JSON is stored as text and parsed by the repositories.

export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;
  const create = (name: string) => withId(db, s.createTable(name));

  await s
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', required)
    .addColumn('updated_at', 'bigint', required)
    .execute();

  await create('organizations')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('domain', 'text')
    .addColumn('shares_tickets', 'integer', flag(0))
    .addColumn('created_at', 'bigint', required)
    .execute();

  await create('customers')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', required)
    .addColumn('phone', 'text')
    .addColumn('organization_id', 'bigint', ref('organizations', 'set null'))
    .addColumn('password_hash', 'text')
    .addColumn('is_banned', 'integer', flag(0))
    .addColumn('created_at', 'bigint', required)
    .addColumn('updated_at', 'bigint', required)
    .execute();
  await s.createIndex('customers_org').on('customers').column('organization_id').execute();

  await create('agents')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', required)
    .addColumn('password_hash', 'text', required)
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('agent'))
    .addColumn('is_active', 'integer', flag(1))
    .addColumn('availability', 'text', (c) => c.notNull().defaultTo('available'))
    .addColumn('signature', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('max_open_tickets', 'integer')
    .addColumn('created_at', 'bigint', required)
    .addColumn('updated_at', 'bigint', required)
    .execute();

  await create('sla_plans')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    // {"<priority level>": {"firstResponse": minutes, "nextResponse": minutes, "resolution": minutes}}
    .addColumn('targets', 'text', required)
    // null = 24x7; else {"timeZone", "week": [[from,to] minutes per weekday], "holidays": ["YYYY-MM-DD"]}
    .addColumn('calendar', 'text')
    .addColumn('created_at', 'bigint', required)
    .execute();

  await create('departments')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text')
    .addColumn('manager_id', 'bigint', ref('agents', 'set null'))
    .addColumn('sla_plan_id', 'bigint', ref('sla_plans', 'set null'))
    .addColumn('auto_assign', 'text', (c) => c.notNull().defaultTo('off'))
    .addColumn('auto_close_days', 'integer')
    .addColumn('created_at', 'bigint', required)
    .execute();

  // Per-department access: permissions is a comma list of view,reply,assign,transfer,close,delete.
  await s
    .createTable('agent_departments')
    .addColumn('agent_id', 'bigint', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('department_id', 'bigint', (c) => c.notNull().references('departments.id').onDelete('cascade'))
    .addColumn('permissions', 'text', required)
    .addPrimaryKeyConstraint('agent_departments_pk', ['agent_id', 'department_id'])
    .execute();
  await s.createIndex('agent_departments_dept').on('agent_departments').column('department_id').execute();

  await create('teams')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('lead_id', 'bigint', ref('agents', 'set null'))
    .addColumn('auto_assign', 'text', (c) => c.notNull().defaultTo('off'))
    .addColumn('created_at', 'bigint', required)
    .execute();

  await s
    .createTable('team_members')
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('agent_id', 'bigint', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'agent_id'])
    .execute();
  await s.createIndex('team_members_agent').on('team_members').column('agent_id').execute();

  await create('priorities')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    // Higher is more urgent; queues sort by it.
    .addColumn('level', 'integer', (c) => c.notNull().unique())
    .addColumn('color', 'text', required)
    .addColumn('is_default', 'integer', flag(0))
    .execute();

  await create('statuses')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', required)
    // System statuses have a key the lifecycle refers to; admin-made ones have none.
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('pauses_sla', 'integer', flag(0))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await create('help_topics')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('department_id', 'bigint', ref('departments', 'set null'))
    .addColumn('priority_id', 'bigint', ref('priorities', 'set null'))
    .addColumn('sla_plan_id', 'bigint', ref('sla_plans', 'set null'))
    .addColumn('team_id', 'bigint', ref('teams', 'set null'))
    .addColumn('auto_response', 'integer', flag(1))
    .addColumn('is_public', 'integer', flag(1))
    .addColumn('created_at', 'bigint', required)
    .execute();

  await create('tickets')
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('subject', 'text', required)
    .addColumn('source', 'text', required)
    .addColumn('requester_id', 'bigint', (c) => c.notNull().references('customers.id'))
    .addColumn('organization_id', 'bigint', ref('organizations', 'set null'))
    .addColumn('department_id', 'bigint', (c) => c.notNull().references('departments.id'))
    .addColumn('help_topic_id', 'bigint', ref('help_topics', 'set null'))
    .addColumn('priority_id', 'bigint', (c) => c.notNull().references('priorities.id'))
    // Copied from the priority and the status so queue indexes can sort and filter without joins.
    .addColumn('priority_level', 'integer', required)
    .addColumn('status_id', 'bigint', (c) => c.notNull().references('statuses.id'))
    .addColumn('state', 'text', required)
    .addColumn('team_id', 'bigint', ref('teams', 'set null'))
    .addColumn('assignee_id', 'bigint', ref('agents', 'set null'))
    .addColumn('sla_plan_id', 'bigint', ref('sla_plans', 'set null'))
    .addColumn('due_at', 'bigint')
    .addColumn('sla_due_at', 'bigint')
    .addColumn('first_response_at', 'bigint')
    .addColumn('last_message_at', 'bigint')
    .addColumn('last_response_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('linked_ticket_id', 'bigint', ref('tickets', 'set null'))
    .addColumn('created_at', 'bigint', required)
    .addColumn('updated_at', 'bigint', required)
    .execute();
  await createQueueIndexes(db);

  await create('ticket_collaborators')
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', required)
    .addUniqueConstraint('ticket_collaborators_unique', ['ticket_id', 'customer_id'])
    .execute();

  await create('thread_entries')
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', required)
    .addColumn('author_agent_id', 'bigint', ref('agents', 'set null'))
    .addColumn('author_customer_id', 'bigint', ref('customers', 'set null'))
    .addColumn('body', 'text', required)
    .addColumn('format', 'text', (c) => c.notNull().defaultTo('text'))
    .addColumn('source', 'text', required)
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'bigint', required)
    .execute();
  await s.createIndex('thread_entries_ticket').on('thread_entries').columns(['ticket_id', 'id']).execute();
  await s.createIndex('thread_entries_message_id').on('thread_entries').column('message_id').execute();

  // Entries are append-only: an edit keeps the old body here.
  await create('thread_entry_revisions')
    .addColumn('entry_id', 'bigint', (c) => c.notNull().references('thread_entries.id').onDelete('cascade'))
    .addColumn('body', 'text', required)
    .addColumn('edited_by', 'bigint', ref('agents', 'set null'))
    .addColumn('created_at', 'bigint', required)
    .execute();

  await create('ticket_events')
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('type', 'text', required)
    .addColumn('actor_type', 'text', required)
    .addColumn('actor_id', 'bigint')
    .addColumn('data', 'text', required)
    .addColumn('created_at', 'bigint', required)
    .execute();
  await s.createIndex('ticket_events_ticket').on('ticket_events').columns(['ticket_id', 'id']).execute();

  // Files live content-addressed (sha256) under the data directory; rows point at them.
  await create('attachments')
    .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('entry_id', 'bigint', ref('thread_entries', 'cascade'))
    .addColumn('sha256', 'text', required)
    .addColumn('filename', 'text', required)
    .addColumn('content_type', 'text', required)
    .addColumn('size', 'bigint', required)
    .addColumn('content_id', 'text')
    .addColumn('created_at', 'bigint', required)
    .execute();
  await s.createIndex('attachments_entry').on('attachments').column('entry_id').execute();
  await s.createIndex('attachments_ticket').on('attachments').column('ticket_id').execute();
  await s.createIndex('attachments_sha').on('attachments').column('sha256').execute();

  await create('api_keys')
    .addColumn('name', 'text', required)
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', required)
    .addColumn('agent_id', 'bigint', ref('agents', 'cascade'))
    .addColumn('scopes', 'text', required)
    .addColumn('cidrs', 'text', required)
    .addColumn('created_at', 'bigint', required)
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();

  await s
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('subject_type', 'text', required)
    .addColumn('subject_id', 'bigint', required)
    .addColumn('csrf_token', 'text', required)
    .addColumn('created_at', 'bigint', required)
    .addColumn('expires_at', 'bigint', required)
    .addColumn('last_seen_at', 'bigint', required)
    .execute();
  await s.createIndex('sessions_subject').on('sessions').columns(['subject_type', 'subject_id']).execute();
  await s.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();

  await create('jobs')
    .addColumn('type', 'text', required)
    .addColumn('payload', 'text', required)
    .addColumn('status', 'text', required)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', required)
    .addColumn('run_at', 'bigint', required)
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', required)
    .addColumn('finished_at', 'bigint')
    .execute();
  await s
    .createIndex('jobs_due')
    .on('jobs')
    .columns(['run_at', 'id'])
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .execute();
  await s
    .createIndex('jobs_running')
    .on('jobs')
    .column('locked_until')
    .where(sql.ref('status'), '=', sql.lit('running'))
    .execute();
  await s
    .createIndex('jobs_failed')
    .on('jobs')
    .column('id')
    .where(sql.ref('status'), '=', sql.lit('failed'))
    .execute();

  // The outbound mail log: without SMTP_URL this is where mail goes (admins read it).
  await create('mail_log')
    .addColumn('job_id', 'bigint')
    .addColumn('ticket_id', 'bigint', ref('tickets', 'cascade'))
    .addColumn('to_address', 'text', required)
    .addColumn('subject', 'text', required)
    .addColumn('body', 'text', required)
    .addColumn('message_id', 'text', required)
    .addColumn('status', 'text', required)
    .addColumn('created_at', 'bigint', required)
    .execute();
  await s.createIndex('mail_log_ticket').on('mail_log').column('ticket_id').execute();
  // A job re-run after a crash must not mail the same person twice.
  await s
    .createIndex('mail_log_job_rcpt')
    .on('mail_log')
    .columns(['job_id', 'to_address'])
    .unique()
    .execute();

  if (isPostgres(db)) {
    // Ticket numbers come from a native sequence on PostgreSQL: concurrent
    // transactions in many processes never wait on each other for a number.
    await sql`create sequence ticket_number_seq start with 1`.execute(db);
  } else {
    await s
      .createTable('sequences')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'bigint', required)
      .execute();
  }
}

/**
 * Indexes for the agent queues. Each serves one queue in its display order
 * (priority, then age), so a page of 50 is an index range scan whatever the
 * total number of tickets. Partial predicates are literals so both planners
 * can match them.
 */
async function createQueueIndexes(db: AnyDb): Promise<void> {
  const s = db.schema;
  const state = sql.ref('state');
  const active = sql<boolean>`${state} in ('open', 'pending')`;
  const queueOrder = ['priority_level desc', 'created_at', 'id'];
  await s
    .createIndex('tickets_dept_open')
    .on('tickets')
    .columns(['department_id', ...queueOrder])
    .where(state, '=', sql.lit('open'))
    .execute();
  await s
    .createIndex('tickets_dept_unassigned')
    .on('tickets')
    .columns(['department_id', ...queueOrder])
    .where(sql<boolean>`${state} = 'open' and assignee_id is null`)
    .execute();
  await s
    .createIndex('tickets_assignee_active')
    .on('tickets')
    .columns(['assignee_id', ...queueOrder])
    .where(active)
    .execute();
  await s
    .createIndex('tickets_team_active')
    .on('tickets')
    .columns(['team_id', ...queueOrder])
    .where(active)
    .execute();
  // Awaiting customer / resolved / closed queues: newest activity first (scanned backwards).
  await s
    .createIndex('tickets_dept_state_updated')
    .on('tickets')
    .columns(['department_id', 'state', 'updated_at', 'id'])
    .execute();
  await s.createIndex('tickets_updated').on('tickets').columns(['updated_at desc', 'id']).execute();
  await s
    .createIndex('tickets_requester')
    .on('tickets')
    .columns(['requester_id', 'created_at desc'])
    .execute();
  await s.createIndex('tickets_org').on('tickets').columns(['organization_id', 'created_at desc']).execute();
  // The scheduler's scans: only tickets whose clock can fire.
  await s
    .createIndex('tickets_sla_due')
    .on('tickets')
    .columns(['sla_due_at', 'id'])
    .where(sql<boolean>`${state} = 'open' and sla_due_at is not null`)
    .execute();
  await s
    .createIndex('tickets_resolved_at')
    .on('tickets')
    .columns(['resolved_at', 'id'])
    .where(state, '=', sql.lit('resolved'))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Deskline migrations are forward-only; restore a backup to go back.');
}
