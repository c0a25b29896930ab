import { describe, expect, it } from 'vitest';
import { asUnavailable, unavailableRetryAfter } from '../../src/db/database.errors.ts';
import { AppError } from '../../src/lib/errors.ts';

// The one classification of database errors (src/db/database.errors.ts): the
// shapes pg, pg-pool, Node's sockets and better-sqlite3 really throw.
const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('database unavailability', () => {
  it.each([
    ['57P01 admin shutdown (pg_terminate_backend)', withCode('57P01'), 5],
    ['57014 query canceled (statement_timeout, pg_cancel_backend)', withCode('57014'), 5],
    ['57P03 cannot connect now (starting up)', withCode('57P03'), 5],
    ['08006 connection failure', withCode('08006'), 5],
    ['53300 too many connections', withCode('53300'), 5],
    ['40001 serialization failure', withCode('40001'), 1],
    ['40P01 deadlock', withCode('40P01'), 1],
    ['55P03 lock timeout', withCode('55P03'), 1],
    ['ECONNREFUSED', withCode('ECONNREFUSED'), 5],
    ['ECONNRESET', withCode('ECONNRESET'), 5],
    ['pg-pool connect timeout', new Error('timeout exceeded when trying to connect'), 5],
    ['pg lost connection', new Error('Connection terminated unexpectedly'), 5],
    ['pg client-side read timeout', new Error('Query read timeout'), 5],
    ['SQLITE_BUSY', withCode('SQLITE_BUSY'), 1],
    ['SQLITE_FULL', withCode('SQLITE_FULL'), 30],
    ['SQLITE_READONLY_DBMOVED', withCode('SQLITE_READONLY_DBMOVED'), 30],
    ['SQLITE_IOERR_WRITE', withCode('SQLITE_IOERR_WRITE'), 30],
    ['SQLITE_CANTOPEN', withCode('SQLITE_CANTOPEN'), 30],
    [
      'an AggregateError of refused addresses',
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
      5,
    ],
    ['a wrapped cause', new Error('outer', { cause: withCode('57P01') }), 5],
  ])('%s is unavailable (Retry-After %i s)', (_name, err, retryAfter) => {
    expect(unavailableRetryAfter(err)).toBe(retryAfter);
    expect(asUnavailable(err)).toMatchObject({
      code: 'database_unavailable',
      status: 503,
      details: { retryAfter },
    });
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a wrong password', withCode('28P01')],
    ['SQLITE_CONSTRAINT_UNIQUE', withCode('SQLITE_CONSTRAINT_UNIQUE')],
    ['a plain bug', new TypeError('x is undefined')],
    ['an AppError of the domain', new AppError('ticket_not_found', 404, 'ticket not found')],
  ])('%s is not', (_name, err) => {
    expect(unavailableRetryAfter(err)).toBeUndefined();
    expect(asUnavailable(err)).toBe(err);
  });
});
