import type { Db } from '../../db/database.ts';
import type { Ticket } from '../../db/schema.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { findClaimRow } from './tickets.idempotency.repository.ts';
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
  const row = await findClaimRow(db, claim);
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

/** A duplicate-key failure from either database. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
