import type { Id } from './schema.ts';

// Table types of the survey tables (migration 0006_surveys).

export interface SurveyRequestsTable extends Id {
  ticket_id: number;
  customer_id: number | null;
  /** sha256 of the link's token: the token itself is only in the customer's mail. */
  token_hash: string;
  trigger: 'resolved' | 'closed';
  sent_at: number;
  expires_at: number;
}

export interface TicketRatingsTable {
  ticket_id: number;
  customer_id: number | null;
  /** 'five': score 1–5; 'binary': 1 = bad, 5 = good (so one average works for both). */
  scale: 'five' | 'binary';
  score: number;
  comment: string | null;
  /** The assignee when the ticket was rated: whose CSAT it counts for. */
  agent_id: number | null;
  department_id: number;
  created_at: number;
  updated_at: number;
}
