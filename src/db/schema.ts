import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  AssignmentTurnsTable,
  IntakeRejectionsTable,
  RoutingRulesTable,
  SchedulerLeasesTable,
  SlaEventsTable,
  TicketTagsTable,
} from './schema.automation.ts';
import type { ReportFactsTable, ReportHistTable, ReportStateTable } from './schema.reports.ts';
import type { SurveyRequestsTable, TicketRatingsTable } from './schema.surveys.ts';
import type { SavedQueuesTable, TicketPresenceTable } from './schema.web.ts';

export type { SlaClockName } from './schema.automation.ts';

// Table types for Kysely, kept by hand next to the migrations (one schema for
// both dialects). Instants are epoch ms; flags are 0/1; JSON columns are text.

export type TicketState = 'open' | 'pending' | 'resolved' | 'closed';
export type TicketSource = 'email' | 'web' | 'phone' | 'api' | 'other';
export type EntryKind = 'message' | 'reply' | 'note';
export type JobStatus = 'pending' | 'running' | 'done' | 'failed';
export type AgentRole = 'admin' | 'agent';
export type Availability = 'available' | 'away' | 'vacation';
export type AutoAssign = 'off' | 'round_robin' | 'least_loaded';
export type ActorType = 'agent' | 'customer' | 'system';

export interface Id {
  id: Generated<number>;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface OrganizationsTable extends Id {
  name: string;
  domain: string | null;
  shares_tickets: Generated<number>;
  created_at: number;
}

export interface CustomersTable extends Id {
  email: string;
  name: string;
  phone: string | null;
  organization_id: number | null;
  password_hash: string | null;
  is_banned: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface AgentsTable extends Id {
  email: string;
  name: string;
  password_hash: string;
  role: AgentRole;
  is_active: Generated<number>;
  availability: Generated<Availability>;
  signature: Generated<string>;
  max_open_tickets: number | null;
  notifications: Generated<string>;
  /** May change customers' organizations and addresses (admins always may). */
  manage_customers: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface SlaPlansTable extends Id {
  name: string;
  targets: string;
  calendar: string | null;
  escalation: string | null;
  created_at: number;
  updated_at: number | null;
}

export interface DepartmentsTable extends Id {
  name: string;
  email: string | null;
  manager_id: number | null;
  sla_plan_id: number | null;
  auto_assign: Generated<AutoAssign>;
  auto_close_days: number | null;
  created_at: number;
}

export interface AgentDepartmentsTable {
  agent_id: number;
  department_id: number;
  permissions: string;
}

export interface TeamsTable extends Id {
  name: string;
  lead_id: number | null;
  auto_assign: Generated<AutoAssign>;
  created_at: number;
}

export interface TeamMembersTable {
  team_id: number;
  agent_id: number;
}

export interface PrioritiesTable extends Id {
  name: string;
  level: number;
  color: string;
  is_default: Generated<number>;
}

export interface StatusesTable extends Id {
  name: string;
  state: TicketState;
  key: string | null;
  pauses_sla: Generated<number>;
  sort: Generated<number>;
}

export interface HelpTopicsTable extends Id {
  name: string;
  department_id: number | null;
  priority_id: number | null;
  sla_plan_id: number | null;
  team_id: number | null;
  auto_response: Generated<number>;
  is_public: Generated<number>;
  created_at: number;
}

export interface TicketsTable extends Id {
  number: string;
  subject: string;
  source: TicketSource;
  requester_id: number;
  organization_id: number | null;
  department_id: number;
  help_topic_id: number | null;
  priority_id: number;
  priority_level: number;
  status_id: number;
  state: TicketState;
  team_id: number | null;
  assignee_id: number | null;
  sla_plan_id: number | null;
  due_at: number | null;
  sla_due_at: number | null;
  first_response_at: number | null;
  last_message_at: number | null;
  last_response_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  reopen_count: Generated<number>;
  linked_ticket_id: number | null;
  created_at: number;
  updated_at: number;
  /** Due times per SLA target (null: no target or the clock is done); sla_due_at is the earliest. */
  sla_first_due_at: Generated<number | null>;
  sla_next_due_at: Generated<number | null>;
  sla_resolve_due_at: Generated<number | null>;
  /** When the clocks stopped (pending, a pausing status, resolved); null while they run. */
  sla_paused_at: Generated<number | null>;
  /** Business time spent paused so far: the targets move out by this much. */
  sla_paused_ms: Generated<number>;
  /** The next instant a warning or breach may fire: the scheduler's index. */
  sla_check_at: Generated<number | null>;
  /** The last reminder sent to the customer while the ticket awaited them. */
  reminded_at: Generated<number | null>;
  /** Custom field values from the intake form (JSON object of strings). */
  fields: Generated<string | null>;
}

export interface TicketCollaboratorsTable extends Id {
  ticket_id: number;
  customer_id: number;
  created_at: number;
}

export interface ThreadEntriesTable extends Id {
  ticket_id: number;
  kind: EntryKind;
  author_agent_id: number | null;
  author_customer_id: number | null;
  body: string;
  format: Generated<'text' | 'html'>;
  source: string;
  message_id: string | null;
  created_at: number;
}

export interface ThreadEntryRevisionsTable extends Id {
  entry_id: number;
  body: string;
  edited_by: number | null;
  created_at: number;
}

export interface TicketEventsTable extends Id {
  ticket_id: number;
  type: string;
  actor_type: ActorType;
  actor_id: number | null;
  data: string;
  created_at: number;
}

export interface AttachmentsTable extends Id {
  ticket_id: number;
  entry_id: number | null;
  sha256: string;
  filename: string;
  content_type: string;
  size: number;
  content_id: string | null;
  created_at: number;
}

export interface ApiKeysTable extends Id {
  name: string;
  key_hash: string;
  prefix: string;
  agent_id: number | null;
  scopes: string;
  cidrs: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SessionsTable {
  id_hash: string;
  subject_type: 'agent' | 'customer';
  subject_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface JobsTable extends Id {
  type: string;
  payload: string;
  status: JobStatus;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface MailLogTable extends Id {
  job_id: number | null;
  ticket_id: number | null;
  to_address: string;
  subject: string;
  body: string;
  message_id: string;
  status: MailStatus;
  kind: MailKind | null;
  from_address: string | null;
  in_reply_to: string | null;
  references: string | null;
  attachments: string | null;
  sent_at: number | null;
  error: string | null;
  created_at: number;
}

/** pending: recorded, not yet handed to SMTP; sent: the relay accepted it; logged: no SMTP_URL, kept here only. */
export type MailStatus = 'pending' | 'sent' | 'logged' | 'bounced' | 'skipped';
/** customer: a reply or notice; auto: an automatic answer (rate-limited per address); agent: an alert. */
export type MailKind = 'customer' | 'auto' | 'agent';

export type AfterImport = 'none' | 'flag' | 'move' | 'delete';

export interface MailboxesTable extends Id {
  address: string;
  name: string;
  department_id: number | null;
  help_topic_id: number | null;
  is_active: Generated<number>;
  imap_host: string | null;
  imap_port: Generated<number>;
  imap_tls: Generated<number>;
  imap_user: string | null;
  imap_auth: Generated<'password' | 'oauth2'>;
  imap_secret: string | null;
  imap_folder: Generated<string>;
  after_import: Generated<AfterImport>;
  archive_folder: string | null;
  poll_seconds: Generated<number>;
  uid_validity: number | null;
  last_uid: Generated<number>;
  last_polled_at: number | null;
  last_error: string | null;
  created_at: number;
}

export type InboundChannel = 'smtp' | 'imap' | 'pipe' | 'api';
export type InboundStatus =
  'ticket' | 'reply' | 'note' | 'bounce' | 'auto_reply' | 'rejected' | 'flagged' | 'duplicate' | 'ignored';

export interface InboundMessagesTable extends Id {
  channel: InboundChannel;
  mailbox_id: number | null;
  message_id: string | null;
  from_address: string | null;
  subject: string | null;
  size: number;
  raw: Buffer;
  status: InboundStatus;
  reason: string | null;
  ticket_id: number | null;
  entry_id: number | null;
  imap_key: string | null;
  received_at: number;
}

export interface MailTemplatesTable extends Id {
  kind: string;
  department_id: number | null;
  help_topic_id: number | null;
  subject: string;
  body: string;
  created_at: number;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status: number;
  body: string;
  created_at: number;
}

export interface RetiredNumbersTable {
  number: string;
  retired_at: number;
}

/** What a mailed account link proves or does (see auth/access-links.service.ts). */
export type LinkPurpose = 'sign_in' | 'signup' | 'email_change' | 'email_correction' | 'notice';

export interface AccessLinksTable {
  token_hash: string;
  /** Null only for a sign-up of an address no customer has yet. */
  customer_id: number | null;
  ticket_id: number | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  purpose: Generated<LinkPurpose>;
  /** The (normalized) address the link was mailed to. */
  address: string | null;
  /** A pending sign-up's name and password hash, until it is confirmed. */
  name: string | null;
  password_hash: string | null;
}

export interface SequencesTable {
  name: string;
  value: number;
}

export interface Database {
  settings: SettingsTable;
  organizations: OrganizationsTable;
  customers: CustomersTable;
  agents: AgentsTable;
  sla_plans: SlaPlansTable;
  departments: DepartmentsTable;
  agent_departments: AgentDepartmentsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  priorities: PrioritiesTable;
  statuses: StatusesTable;
  help_topics: HelpTopicsTable;
  tickets: TicketsTable;
  ticket_collaborators: TicketCollaboratorsTable;
  thread_entries: ThreadEntriesTable;
  thread_entry_revisions: ThreadEntryRevisionsTable;
  ticket_events: TicketEventsTable;
  attachments: AttachmentsTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  jobs: JobsTable;
  mail_log: MailLogTable;
  mailboxes: MailboxesTable;
  inbound_messages: InboundMessagesTable;
  mail_templates: MailTemplatesTable;
  sequences: SequencesTable;
  idempotency_keys: IdempotencyKeysTable;
  access_links: AccessLinksTable;
  retired_numbers: RetiredNumbersTable;
  routing_rules: RoutingRulesTable;
  intake_rejections: IntakeRejectionsTable;
  assignment_turns: AssignmentTurnsTable;
  ticket_tags: TicketTagsTable;
  sla_events: SlaEventsTable;
  scheduler_leases: SchedulerLeasesTable;
  saved_queues: SavedQueuesTable;
  ticket_presence: TicketPresenceTable;
  survey_requests: SurveyRequestsTable;
  ticket_ratings: TicketRatingsTable;
  report_facts: ReportFactsTable;
  report_state: ReportStateTable;
  report_hist: ReportHistTable;
  health_checks: HealthChecksTable;
}

/** One row per probe (migration 0011): /readyz upserts it to prove writes commit. */
export interface HealthChecksTable {
  name: string;
  checked_at: number;
}

export type Ticket = Selectable<TicketsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type TicketPatch = Updateable<TicketsTable>;
export type Agent = Selectable<AgentsTable>;
export type Customer = Selectable<CustomersTable>;
export type Department = Selectable<DepartmentsTable>;
export type Priority = Selectable<PrioritiesTable>;
export type Status = Selectable<StatusesTable>;
export type HelpTopic = Selectable<HelpTopicsTable>;
export type Team = Selectable<TeamsTable>;
export type ThreadEntry = Selectable<ThreadEntriesTable>;
export type TicketEvent = Selectable<TicketEventsTable>;
export type Job = Selectable<JobsTable>;
export type Mailbox = Selectable<MailboxesTable>;
export type MailLogRow = Selectable<MailLogTable>;
export type RoutingRuleRow = Selectable<RoutingRulesTable>;
export type SlaPlan = Selectable<SlaPlansTable>;
