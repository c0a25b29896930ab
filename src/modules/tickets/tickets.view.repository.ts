import type { Db } from '../../db/database.ts';

// What a ticket view reads besides the thread and events (tickets.view.service.ts).

/** The customers who follow a ticket. */
export const collaboratorsOf = (db: Db, ticketId: number) =>
  db.selectFrom('ticket_collaborators').select('customer_id').where('ticket_id', '=', ticketId).execute();

/** A ticket's tags, in order. */
export const tagsOf = (db: Db, ticketId: number) =>
  db.selectFrom('ticket_tags').select('tag').where('ticket_id', '=', ticketId).orderBy('tag').execute();

/** Names and addresses of agents, for the people a view mentions. */
export const agentNames = (db: Db, ids: number[]) =>
  db.selectFrom('agents').select(['id', 'name', 'email']).where('id', 'in', ids).execute();

/** Names and addresses of customers, for the people a view mentions. */
export const customerNames = (db: Db, ids: number[]) =>
  db.selectFrom('customers').select(['id', 'name', 'email']).where('id', 'in', ids).execute();
