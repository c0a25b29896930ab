import type { Id } from './schema.ts';

// Table types of the automation tables (migration 0004_automation): routing
// rules, refused intake, assignment turns, tags, SLA events, scheduler leases.

export interface RoutingRulesTable extends Id {
  name: string;
  sort: number;
  is_active: number;
  match: 'all' | 'any';
  conditions: string;
  actions: string;
  on_reply: number;
  created_at: number;
  updated_at: number;
}

export interface IntakeRejectionsTable extends Id {
  channel: string;
  rule_id: number | null;
  rule_name: string;
  reason: string;
  requester: string;
  subject: string;
  payload: string;
  created_at: number;
}

export interface AssignmentTurnsTable {
  scope: 'department' | 'team';
  scope_id: number;
  last_agent_id: number | null;
  updated_at: number;
}

export interface TicketTagsTable {
  ticket_id: number;
  tag: string;
}

export type SlaClockName = 'first_response' | 'next_response' | 'resolution';
export interface SlaEventsTable extends Id {
  ticket_id: number;
  clock: SlaClockName;
  stage: 'warning' | 'breach';
  /** The clock's start: creation, or the customer message a next response answers. */
  started_at: number;
  due_at: number;
  created_at: number;
}

export interface SchedulerLeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}
