import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Ticket } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { findTicketById } from './tickets.repository.ts';

/**
 * An Idempotency-Key on ticket creation: the key is claimed in the SAME
 * transaction that creates the ticket, so a retry either finds the claim
 * (and gets the first ticket back) or finds nothing because nothing was
 * created. Two requests racing with one key: the primary key lets one
 * insert win; the other's transaction fails and it replays the winner's ticket.
 */
export interface IdempotencyClaim {
  /** Who is asking (`key:<id>`, `agent:<id>`, `ip:<addr>`): one caller's keys never match another's. */
  scope: string;
  key: string;
  /** Digest of the request body: the same key with another body is a client bug, not a retry. */
  requestHash: string;
}

export async function findClaimed(db: Db, claim: IdempotencyClaim): Promise<Ticket | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'body'])
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== claim.requestHash) {
    throw new AppError(
      'idempotency_key_reused',
      422,
      'This Idempotency-Key was already used for a different request',
    );
  }
  const { ticketId } = JSON.parse(row.body) as { ticketId?: number };
  if (ticketId === undefined) return undefined;
  const ticket = await findTicketById(db, ticketId);
  if (!ticket) throw notFound('ticket', 'The ticket this key created has since been deleted');
  return ticket;
}

/**
 * Claims the key as the transaction's first write: a concurrent request with
 * the same key waits on the primary key (PostgreSQL) instead of doing the
 * work twice, then fails with a duplicate key and replays the winner.
 */
export async function claimKey(trx: Db, claim: IdempotencyClaim, now: number): Promise<void> {
  await trx
    .insertInto('idempotency_keys')
    .values({
      scope: claim.scope,
      key: claim.key,
      request_hash: claim.requestHash,
      status: 0,
      body: '{}',
      created_at: now,
    })
    .execute();
}

/** Records the answer on the claim, in the same transaction: only a committed ticket is ever replayed. */
export async function completeClaim(trx: Db, claim: IdempotencyClaim, ticketId: number): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set({ status: 201, body: JSON.stringify({ ticketId }) })
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .execute();
}

/** A duplicate-key failure from either database. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Claims older than a day may go (retries come within minutes, and the table
 * must not grow forever): up to `limit` of them per call, oldest first through
 * their index, so one scheduler pass never holds the writer for long.
 */
export async function pruneClaims(
  db: Db,
  now: number,
  keepMs = 24 * 60 * 60 * 1000,
  limit = 5_000,
): Promise<number> {
  const old = sql`select scope, ${sql.ref('key')} from idempotency_keys
    where created_at < ${now - keepMs} order by created_at limit ${limit}`;
  const r = await sql`delete from idempotency_keys where (scope, ${sql.ref('key')}) in (${old})`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
