import { expect, it } from 'vitest';
import { formErrors, plainError, plainIssue } from '../../web/src/ui/errorText.ts';

// The web UI's one mapping from the API's refusals to words at the field (web/src/ui/errorText.ts).

/** What web/src/ui/api.ts throws (that module needs a browser). */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const invalid = (...details: { path: string; message: string }[]) =>
  new ApiError(422, 'validation_failed', `${details[0]!.path}: ${details[0]!.message}`, details);

it("says zod's and the contract's messages as people would", () => {
  const say = (path: string, message: string) => plainIssue({ path, message });
  expect(say('subject', 'Too small: expected string to have >=1 characters')).toBe('Please fill this in.');
  expect(say('body', 'Invalid input: expected string, received undefined')).toBe('Please fill this in.');
  expect(say('requester.email', 'not a valid email address')).toBe('Enter a valid email address.');
  expect(say('password', 'Too small: expected string to have >=10 characters')).toBe(
    'Use at least 10 characters.',
  );
  expect(say('subject', 'Too big: expected string to have <=200 characters')).toBe(
    'Use at most 200 characters.',
  );
  expect(say('priority', 'Invalid input: expected number, received string')).toBe('Enter a number.');
  expect(say('x', 'must be before end')).toBe('Must be before end.');
});

it('puts each problem under its field and the rest in the banner', () => {
  const fields = { email: 'requester.email', subject: 'subject' };
  const got = formErrors(
    invalid(
      { path: 'requester.email', message: 'not a valid email address' },
      { path: 'subject', message: 'Too small: expected string to have >=1 characters' },
      { path: 'source', message: 'Invalid option: expected one of "web"|"phone"' },
    ),
    fields,
  );
  expect(got.at).toEqual({ email: 'Enter a valid email address.', subject: 'Please fill this in.' });
  expect(got.banner).toBe('Choose one of the options.');
  // A code about one field goes under it when the form has the field.
  expect(
    formErrors(new ApiError(422, 'subject_too_long', 'Subject is longer than 200 characters'), fields).at
      .subject,
  ).toBe('Subject is longer than 200 characters.');
  expect(formErrors(null, fields)).toEqual({ at: {}, banner: null });
});

it('never shows a code: known ones have words, the rest keep the server sentence', () => {
  expect(plainError(new ApiError(401, 'unauthenticated', 'Sign in or send an API key'))).toBe(
    'Please sign in again.',
  );
  expect(plainError(new ApiError(404, 'help_topic_not_found', 'help topic not found'))).toBe(
    'That help topic was not found.',
  );
  expect(plainError(new ApiError(409, 'not_due', 'the ticket is not due'))).toBe('The ticket is not due.');
  expect(plainError(new TypeError('Failed to fetch'))).toMatch(/^Something went wrong/);
});
