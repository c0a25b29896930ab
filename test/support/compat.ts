import type { Db } from '../../src/db/database.ts';
import type { Ticket } from '../../src/db/schema.ts';

// Shared by the osTicket-compatibility, attachment and idempotency suites.

/** A monitoring alert as osTicket's sample client posts it. */
export const osTicketAlert = (over: Record<string, unknown> = {}) => ({
  name: 'Nagios',
  email: 'nagios@monitoring.example',
  subject: 'CRITICAL: disk /var on db-3 at 97%',
  message: 'Disk almost full',
  ...over,
});

const TABLES = [
  'tickets',
  'thread_entries',
  'ticket_events',
  'jobs',
  'customers',
  'attachments',
  'idempotency_keys',
] as const;

/** Row counts of every table an intake writes, for "nothing written" checks. */
export async function intakeCounts(db: Db): Promise<Record<(typeof TABLES)[number], number>> {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

export const ticketByNumber = (db: Db, number: string): Promise<Ticket> =>
  db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();

/** The thread entries of a ticket, oldest first. */
export const entriesOf = (db: Db, ticketId: number) =>
  db.selectFrom('thread_entries').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();

/** The attachment rows of a ticket, oldest first. */
export const filesOf = (db: Db, ticketId: number) =>
  db
    .selectFrom('attachments')
    .select(['id', 'entry_id', 'filename', 'content_type', 'size', 'sha256'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id')
    .execute();
