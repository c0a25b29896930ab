import type { Db } from '../../db/database.ts';
import type { TicketRatingsTable } from '../../db/schema.surveys.ts';

// survey_requests and ticket_ratings: one request per survey mail (its token
// kept only as a hash) and at most one rating per ticket.

export type RatingRow = TicketRatingsTable;

export async function insertRequest(
  db: Db,
  r: {
    ticketId: number;
    customerId: number;
    tokenHash: string;
    trigger: 'resolved' | 'closed';
    now: number;
    expiresAt: number;
  },
): Promise<void> {
  await db
    .insertInto('survey_requests')
    .values({
      ticket_id: r.ticketId,
      customer_id: r.customerId,
      token_hash: r.tokenHash,
      trigger: r.trigger,
      sent_at: r.now,
      expires_at: r.expiresAt,
    })
    .execute();
}

export function findRequest(db: Db, tokenHash: string) {
  return db.selectFrom('survey_requests').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export function findRating(db: Db, ticketId: number): Promise<RatingRow | undefined> {
  return db.selectFrom('ticket_ratings').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
}

/** The first answer inserts; later ones change score and comment and keep created_at (the change window's start). */
export async function saveRating(db: Db, row: RatingRow, exists: boolean): Promise<void> {
  if (!exists) {
    await db.insertInto('ticket_ratings').values(row).execute();
    return;
  }
  await db
    .updateTable('ticket_ratings')
    .set({ score: row.score, comment: row.comment, scale: row.scale, updated_at: row.updated_at })
    .where('ticket_id', '=', row.ticket_id)
    .execute();
}

/** Who hears of a low rating: the ticket's team lead, else its department's manager. */
export async function leadFor(db: Db, teamId: number | null, departmentId: number): Promise<number | null> {
  if (teamId !== null) {
    const team = await db.selectFrom('teams').select('lead_id').where('id', '=', teamId).executeTakeFirst();
    if (team?.lead_id) return team.lead_id;
  }
  const dept = await db
    .selectFrom('departments')
    .select('manager_id')
    .where('id', '=', departmentId)
    .executeTakeFirst();
  return dept?.manager_id ?? null;
}
