import { z } from 'zod';

// The error-code catalog: every stable code the API answers with, in
// {"error": {"code", "message", "details"?}}, and its HTTP status. Clients
// branch on the code; the server's AppError only takes a code listed here (a
// typo does not compile), and test/unit/error-catalog.test.ts checks that
// every code thrown in src/ is here with the status it is thrown with.

/** Records a request can name that may not exist: `<name>_not_found`, 404. */
export const RESOURCES = [
  'agent',
  'api_key',
  'attachment',
  'customer',
  'department',
  'help_topic',
  'inbound_message',
  'job',
  'linked_ticket',
  'mail_template',
  'mailbox',
  'organization',
  'priority',
  'routing_rule',
  'saved_queue',
  'sla_plan',
  'status',
  'survey',
  'team',
  'ticket',
] as const;
export type Resource = (typeof RESOURCES)[number];

/** Tables administrators edit through /api/v1/<table>: a duplicate name is `<name>_exists`, 409. */
export const ADMIN_TABLES = [
  'department',
  'team',
  'help_topic',
  'priority',
  'status',
  'organization',
  'mailbox',
  'mail_template',
  'routing_rule',
  'sla_plan',
] as const satisfies readonly Resource[];
export type AdminTableName = (typeof ADMIN_TABLES)[number];

/** Admin tables other rows point at: deleting one still in use is `<name>_in_use`, 409. */
export const REFERENCED_TABLES = [
  'department',
  'team',
  'help_topic',
  'priority',
  'status',
  'organization',
  'sla_plan',
] as const satisfies readonly AdminTableName[];

/** Codes with a meaning of their own: status and what it says. */
const FIXED = {
  // Requests the server cannot read.
  bad_request: [400, 'The request is malformed'],
  bad_url: [400, 'The URL is not valid percent-encoding'],
  invalid_json: [400, 'The body is not valid JSON'],
  json_too_deep: [400, 'The JSON body nests too deep'],
  payload_too_large: [413, 'The body is larger than the route accepts'],
  unsupported_media_type: [415, 'The body has a media type the route does not read'],
  route_not_found: [404, 'No route for this method and path'],
  validation_failed: [422, 'The input breaks its schema; details lists each problem'],
  // Who is calling.
  unauthenticated: [401, 'Sign in or send an API key'],
  invalid_credentials: [401, 'Wrong email address or password'],
  api_key_invalid: [401, 'The API key is unknown, revoked or malformed'],
  api_key_ip_not_allowed: [401, 'The API key may not be used from this address'],
  access_link_invalid: [401, 'The sign-in link is unknown, used or expired'],
  confirmation_invalid: [401, 'The confirmation link is unknown, used or expired'],
  sign_in_required: [401, 'Sign in to the account the link belongs to'],
  forbidden: [403, 'The caller may not do this'],
  csrf_failed: [403, 'A cookie-authenticated write lacks the X-CSRF-Token header'],
  scope_missing: [403, 'The API key lacks the scope this route needs'],
  session_required: [403, 'Only a signed-in session may do this (not an API key)'],
  agent_required: [403, 'Only an agent may do this'],
  requester_banned: [403, 'The requester is on the banned list'],
  rejected_by_rule: [403, 'A routing rule refused the request'],
  // Input the desk refuses.
  address_not_allowed: [422, 'This email address may not be used'],
  assignee_me_needs_agent: [422, '"me" names an agent; the caller is none'],
  assignee_no_access: [422, "The agent has no access to the ticket's department or team"],
  attachment_invalid: [422, 'The attachment data is not base64 or a data URL'],
  attachment_name_invalid: [422, 'The file name is unusable'],
  attachment_type_refused: [422, 'Executable files are not accepted'],
  attachments_disabled: [422, 'The desk has no file storage for attachments'],
  body_too_long: [422, "The message is longer than the desk's intake limit"],
  email_unchanged: [422, 'The new email address is the current one'],
  filter_not_allowed: [422, 'The caller may not use this filter'],
  idempotency_key_invalid: [422, 'The Idempotency-Key header is malformed'],
  idempotency_key_reused: [422, 'The Idempotency-Key was used for another request'],
  invalid_cursor: [422, 'The paging cursor is not one the server gave'],
  invalid_date: [422, 'A date that does not exist'],
  invalid_score: [422, 'The score is not on the survey scale'],
  queue_needs_agent: [422, 'This queue is an agent’s: the caller is none'],
  queue_needs_team: [422, 'This queue is a team’s: the caller is in none'],
  queue_needs_time: [422, 'This queue needs the current time'],
  range_reversed: [422, 'The report range ends before it starts'],
  range_too_long: [422, 'The report range is too long'],
  reason_required: [422, 'Closing a ticket needs a reason'],
  search_query_empty: [422, 'The search has no words to look for'],
  sort_not_available: [422, 'This order only works on shorter lists'],
  subject_too_long: [422, "The subject is longer than the desk's intake limit"],
  too_many_saved_queues: [422, 'The caller has as many saved queues as allowed'],
  unknown_filter: [422, 'A list filter names something that does not exist'],
  // States that do not allow the change.
  agent_exists: [409, 'An agent with that email address exists'],
  customer_exists: [409, 'A customer with that email address exists'],
  invalid_transition: [409, 'The ticket cannot move to that state from its current one'],
  job_not_failed: [409, 'Only a failed job can be retried'],
  last_admin: [409, 'The last administrator cannot lose the role'],
  not_due: [409, 'The ticket is not due to close yet'],
  reopen_window_passed: [409, 'The ticket can no longer be reopened'],
  status_system: [409, 'A system status cannot be deleted'],
  survey_closed: [409, 'The rating can no longer be changed'],
  ticket_closed: [409, 'The ticket is closed; reopen it first'],
  attachment_missing: [410, 'The file is gone from storage'],
  attachment_too_large: [413, 'The file is larger than the desk accepts'],
  rate_limited: [429, 'Too many requests; Retry-After says when to try again'],
  // The server.
  internal_error: [500, 'Something went wrong on the server (logged)'],
  response_invalid: [500, 'The answer broke its schema (development and tests only; logged)'],
  database_unavailable: [503, 'The database is unreachable; try again shortly'],
  not_configured: [503, 'The desk lacks a setting this needs'],
  not_ready: [503, 'The server is starting'],
  shutting_down: [503, 'The server is shutting down'],
  ticket_number_exhausted: [503, 'No free ticket number is left in the format'],
} as const satisfies Record<string, readonly [number, string]>;

type Entry = readonly [status: number, meaning: string];
const words = (name: string) => name.replace(/_/g, ' ');
const each = <N extends string, C extends string>(
  names: readonly N[],
  code: (n: N) => C,
  entry: (n: N) => Entry,
) => Object.fromEntries(names.map((n) => [code(n), entry(n)])) as Record<C, Entry>;

/** Every code with its HTTP status and meaning. */
export const ERROR_CATALOG: Readonly<Record<ErrorCode, Entry>> = {
  ...FIXED,
  ...each(
    RESOURCES,
    (r) => `${r}_not_found` as const,
    (r) => [404, `No such ${words(r)}`],
  ),
  ...each(
    ADMIN_TABLES,
    (t) => `${t}_exists` as const,
    (t) => [409, `A ${words(t)} with that name exists`],
  ),
  ...each(
    REFERENCED_TABLES,
    (t) => `${t}_in_use` as const,
    (t) => [409, `The ${words(t)} is still in use`],
  ),
};

export type ErrorCode =
  | keyof typeof FIXED
  | `${Resource}_not_found`
  | `${AdminTableName}_exists`
  | `${(typeof REFERENCED_TABLES)[number]}_in_use`;

export const ERROR_CODES = Object.keys(ERROR_CATALOG).sort() as ErrorCode[];
export const statusOf = (code: ErrorCode): number => ERROR_CATALOG[code][0];

export const ErrorCodeSchema = z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]);

/** The one error body. */
export const ErrorBody = z.object({
  error: z.object({ code: ErrorCodeSchema, message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.output<typeof ErrorBody>;
