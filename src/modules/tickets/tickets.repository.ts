import { sql } from 'kysely';
import { isPostgres, type Db } from '../../db/database.ts';
import type { NewTicket, Ticket, TicketPatch } from '../../db/schema.ts';

/** Inserts unless the number is taken; returns undefined on a clash so the caller can pick another. */
export function insertTicketIfNumberFree(db: Db, row: NewTicket): Promise<Ticket | undefined> {
  return db
    .insertInto('tickets')
    .values(row)
    .onConflict((oc) => oc.column('number').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findTicketByNumber(db: Db, number: string): Promise<Ticket | undefined> {
  return db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirst();
}

export function findTicketById(db: Db, id: number): Promise<Ticket | undefined> {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Reads the ticket and locks its row until the transaction ends, so two agents
 * acting at once are applied one after the other. SQLite has one writer, and
 * its transactions are already serialized.
 */
export function lockTicketByNumber(db: Db, number: string): Promise<Ticket | undefined> {
  const q = db.selectFrom('tickets').selectAll().where('number', '=', number);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateTicket(db: Db, id: number, patch: TicketPatch): Promise<Ticket> {
  return db.updateTable('tickets').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function isCollaborator(db: Db, ticketId: number, customerId: number): Promise<boolean> {
  const row = await db
    .selectFrom('ticket_collaborators')
    .select('id')
    .where('ticket_id', '=', ticketId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function addCollaborators(db: Db, ticketId: number, customerIds: number[], now: number) {
  if (customerIds.length === 0) return;
  await db
    .insertInto('ticket_collaborators')
    .values(customerIds.map((customer_id) => ({ ticket_id: ticketId, customer_id, created_at: now })))
    .onConflict((oc) => oc.columns(['ticket_id', 'customer_id']).doNothing())
    .execute();
}

export async function isRetired(db: Db, number: string): Promise<boolean> {
  const row = await db
    .selectFrom('retired_numbers')
    .select('number')
    .where('number', '=', number)
    .executeTakeFirst();
  return row !== undefined;
}

/** Deleting a ticket keeps its number out of use for good. */
export async function retireNumber(db: Db, number: string, now: number): Promise<void> {
  await db
    .insertInto('retired_numbers')
    .values({ number, retired_at: now })
    .onConflict((oc) => oc.column('number').doNothing())
    .execute();
}

/** Tags a ticket (a tag it has already is kept once). */
export async function addTags(db: Db, ticketId: number, tags: string[]): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto('ticket_tags')
    .values(tags.map((tag) => ({ ticket_id: ticketId, tag })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Deletes a ticket; its thread, events and attachments rows go with it by cascade. */
export async function deleteTicketRow(db: Db, id: number): Promise<void> {
  await db.deleteFrom('tickets').where('id', '=', id).execute();
}

/** The ticket number sequence's next value: PostgreSQL's native sequence, SQLite's counter row. */
export async function nextTicketSequence(db: Db): Promise<number> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ v: number }>`select nextval('ticket_number_seq') as v`.execute(db);
    return rows[0]!.v;
  }
  const bumped = await db
    .updateTable('sequences')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'ticket_number')
    .returning('value')
    .executeTakeFirst();
  if (bumped) return bumped.value;
  await db.insertInto('sequences').values({ name: 'ticket_number', value: 1 }).execute();
  return 1;
}
