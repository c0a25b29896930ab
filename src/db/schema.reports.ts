// Table types of the report facts (migration 0009_report_facts). Kinds and
// channels are the integer codes of src/modules/reports/reports.facts.ts.

export interface ReportFactsTable {
  ticket_id: number;
  /** Position among the ticket's facts: (ticket_id, seq) is the key. */
  seq: number;
  kind: number;
  /** Local day number (days since 1970-01-01) in the desk's zone the facts were cut in. */
  day: number;
  at: number;
  /** Who did it: the replying or resolving agent; the assignee for resolutions. */
  actor_id: number | null;
  calendar_ms: number | null;
  business_ms: number | null;
  cal_bucket: number | null;
  bus_bucket: number | null;
  /** 1 met, 0 breached, null: no target for this clock (first response, resolution only). */
  sla: number | null;
  department_id: number;
  team_id: number | null;
  assignee_id: number | null;
  help_topic_id: number | null;
  priority_id: number;
  channel: number;
  organization_id: number | null;
}

export interface ReportStateTable {
  name: string;
  value: string;
}

/** Coarse duration histogram per measure, clock (1 calendar, 2 business), day and department. */
export interface ReportHistTable {
  kind: number;
  clock: number;
  day: number;
  department_id: number;
  bucket: number;
  n: number;
  total: number;
}
