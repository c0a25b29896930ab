import type { ErrorCode, Resource } from '../contract/errors.ts';

/**
 * The one error type services throw. `code` is stable and documented in the
 * catalog (src/contract/errors.ts): clients branch on it; `status` is the
 * HTTP status the edge answers with.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: Resource, message = `${what.replace(/_/g, ' ')} not found`) =>
  new AppError(`${what}_not_found`, 404, message);

export const invalid = (code: ErrorCode, message: string, details?: unknown) =>
  new AppError(code, 422, message, details);

/** A list filter naming something that does not exist: 422, since the request (not a resource) is wrong. */
export const unknownFilter = (filter: string, value: string | number) =>
  invalid('unknown_filter', `No ${filter} matches ${JSON.stringify(value)}`, { filter });

export const forbidden = (message = 'You may not do that') => new AppError('forbidden', 403, message);
