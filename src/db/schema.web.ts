import type { Id } from './schema.ts';

// Table types of the agent panel's tables (migration 0005_web).

export interface SavedQueuesTable extends Id {
  /** null: shared with every agent. */
  owner_id: number | null;
  name: string;
  /** JSON: the GET /tickets filters (state, department, team, assignee, priority, status, q). */
  filters: string;
  /** JSON: the column keys shown, in order. */
  columns: string;
  /** e.g. "priority", "-updated". */
  sort: string;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface TicketPresenceTable {
  ticket_id: number;
  agent_id: number;
  activity: 'viewing' | 'replying';
  expires_at: number;
}
