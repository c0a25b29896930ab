/** What happened to a ticket; the ticket's history is these rows, written in the change's transaction. */
export type EventType =
  | 'created'
  | 'replied'
  | 'noted'
  | 'customer_replied'
  | 'assigned'
  | 'transferred'
  | 'priority_changed'
  | 'status_changed'
  | 'help_topic_changed'
  | 'due_date_changed'
  | 'resolved'
  | 'closed'
  | 'reopened'
  | 'collaborators_added'
  | 'linked'
  | 'email_bounced'
  | 'auto_reply_received'
  | 'sla_warning'
  | 'sla_breached'
  | 'reminder_sent'
  | 'rated';

/** Events that change none of a ticket's report facts (src/modules/reports/reports.facts.ts). */
const REPORT_BLIND = new Set<EventType>([
  'noted',
  'collaborators_added',
  'linked',
  'email_bounced',
  'auto_reply_received',
  'sla_warning',
  'reminder_sent',
  'rated',
  'due_date_changed',
]);

/**
 * Whether events change a ticket's report facts: a use case that records such
 * events queues one reports.refresh of the ticket (reports.refresh.service.ts).
 */
export const changesReportFacts = (events: { type: EventType }[]) =>
  events.some((e) => !REPORT_BLIND.has(e.type));
