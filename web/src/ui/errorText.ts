// The API's refusals in words people use: one mapping from its stable error
// codes (src/contract/errors.ts) and, for a 422, from each problem's path and
// zod's message, so forms show "Please fill this in" under the field instead of
// "Too small: expected string to have >=1 characters" in a banner. Codes not
// listed keep the server's own message (a sentence), never the code.

interface Issue {
  path: string;
  message: string;
}

/** An answer the API refused: api.ts's ApiError (by shape, so this module needs no browser). */
interface Refusal {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}
const isRefusal = (e: unknown): e is Refusal =>
  e instanceof Error && typeof (e as Partial<Refusal>).code === 'string' && 'status' in e;

/**
 * Codes whose server message is written for API callers, not for people at a
 * screen. The others' messages are sentences that say what happened in that
 * place ("Enter the password you chose when signing up"): kept.
 */
const CODES: Record<string, string> = {
  unauthenticated: 'Please sign in again.',
  csrf_failed: 'Your session has expired. Reload the page and try again.',
  bad_request: 'Something went wrong. Reload the page and try again.',
  invalid_json: 'Something went wrong. Reload the page and try again.',
  payload_too_large: 'That is more than we can take at once. Try smaller or fewer files.',
  internal_error: 'Something went wrong on our side. Please try again.',
  database_unavailable: 'We cannot reach the desk right now. Please try again in a moment.',
  not_ready: 'The desk is starting. Please try again in a moment.',
  shutting_down: 'The desk is restarting. Please try again in a moment.',
};

/** Codes that are about one field: shown under it when the form has it. */
const CODE_FIELDS: Record<string, string> = {
  subject_too_long: 'subject',
  body_too_long: 'body',
  address_not_allowed: 'email',
  attachment_too_large: 'attachments',
  attachment_type_refused: 'attachments',
  customer_exists: 'email',
  agent_exists: 'email',
  reason_required: 'reason',
};

const sentence = (s: string) => {
  const t = s.trim();
  if (!t) return t;
  const upper = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(upper) ? upper : `${upper}.`;
};

/** zod's (v4) stock messages and the contract's own, as a person would say them. */
export function plainIssue(issue: Issue): string {
  const m = issue.message;
  const last = issue.path.split('.').pop() ?? '';
  let hit: RegExpMatchArray | null;
  if (/email/i.test(last) && !/too small|received undefined/i.test(m)) return 'Enter a valid email address.';
  if (/expected string to have >=1 characters|received undefined|received null/i.test(m))
    return 'Please fill this in.';
  if ((hit = m.match(/too small: expected string to have >=(\d+)/i)))
    return `Use at least ${hit[1]} characters.`;
  if ((hit = m.match(/too big: expected string to have <=(\d+)/i)))
    return `Use at most ${hit[1]} characters.`;
  if ((hit = m.match(/too small: expected (?:number|int) to be >=?(\d+)/i)))
    return `Enter ${hit[1]} or more.`;
  if ((hit = m.match(/too big: expected (?:number|int) to be <=?(\d+)/i))) return `Enter ${hit[1]} or less.`;
  if ((hit = m.match(/too big: expected array to have <=(\d+)/i))) return `Choose at most ${hit[1]}.`;
  if (/expected (number|int)/i.test(m)) return 'Enter a number.';
  if (/invalid option|expected one of/i.test(m)) return 'Choose one of the options.';
  if (/invalid (email|e-mail)/i.test(m)) return 'Enter a valid email address.';
  if (/^invalid input/i.test(m)) return 'This is not valid.';
  return sentence(m);
}

const issuesOf = (error: Refusal): Issue[] =>
  Array.isArray(error.details)
    ? (error.details as Partial<Issue>[])
        .filter((d) => typeof d?.message === 'string')
        .map((d) => ({ path: typeof d.path === 'string' ? d.path : '', message: d.message! }))
    : [];

/** An API failure as one plain sentence: a banner's text. */
export function plainError(error: unknown): string {
  if (!isRefusal(error)) return 'Something went wrong. Check your connection and try again.';
  const first = issuesOf(error)[0];
  if (error.code === 'validation_failed' && first) return plainIssue(first);
  if (error.code.endsWith('_not_found'))
    return `That ${error.code.slice(0, -'_not_found'.length).replace(/_/g, ' ')} was not found.`;
  return CODES[error.code] ?? sentence(error.message);
}

/**
 * A failure shared out to a form's fields: `fields` maps each field's key to
 * the API path it sends (`{ email: 'requester.email' }`). A problem with a
 * field goes under it; anything else is the banner (null when none).
 */
export function formErrors<K extends string>(
  error: unknown,
  fields: Record<K, string>,
): { at: Partial<Record<K, string>>; banner: string | null } {
  const at: Partial<Record<K, string>> = {};
  if (!error) return { at, banner: null };
  const keys = Object.keys(fields) as K[];
  const owner = (path: string) =>
    keys.find((k) => path === fields[k] || path.startsWith(`${fields[k]}.`) || k === path);
  if (!isRefusal(error)) return { at, banner: plainError(error) };
  const issues = issuesOf(error);
  let banner: string | null = null;
  if (error.code === 'validation_failed' && issues.length) {
    for (const issue of issues) {
      const k = owner(issue.path);
      if (k) at[k] ??= plainIssue(issue);
      else banner ??= plainIssue(issue);
    }
    return { at, banner };
  }
  const k = CODE_FIELDS[error.code] !== undefined ? owner(CODE_FIELDS[error.code]!) : undefined;
  if (k) at[k] = plainError(error);
  else banner = plainError(error);
  return { at, banner };
}
