import type { Db } from '../../db/database.ts';
import type { ThreadEntry, Ticket } from '../../db/schema.ts';
import { referenceOf, type Deps, type TxContext } from '../../lib/deps.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { attachmentsOfEntry } from '../attachments/attachments.repository.ts';
import { loadPeople, type AttachmentRow, type People } from './tickets.view.service.ts';

/**
 * A change that committed is answered with success. The answer about a
 * changed ticket needs more than the row: the reference names and the people
 * it mentions (and a posted entry's attachments). Read after the commit, a
 * dropped connection or a timeout there turned a committed ticket into a 5xx
 * (and the client's retry into a duplicate). So the use cases that change a
 * ticket read them INSIDE their transaction and return them with the ticket;
 * only a replayed request (nothing committed) reads them afterwards.
 */
export interface PreparedAnswer {
  ref: ReferenceSnapshot;
  people: People;
  /** The attachments of the posted entry (none for other changes). */
  files: AttachmentRow[];
}

/** A changed ticket with what its answer needs. */
export interface Answered {
  ticket: Ticket;
  answer: PreparedAnswer;
}

/** Reads, in the change's transaction, what the answer about `ticket` (and a posted `entry`) needs. */
export async function prepareAnswer(
  { trx, ref }: TxContext,
  ticket: Ticket,
  entry?: ThreadEntry,
): Promise<PreparedAnswer> {
  return { ref, ...(await readParts(trx, ticket, entry)) };
}

/** The same, read after the fact: a replayed request, where nothing committed. */
export async function answerAfterCommit(
  deps: Deps,
  ticket: Ticket,
  entry?: ThreadEntry,
): Promise<PreparedAnswer> {
  const [ref, parts] = await Promise.all([referenceOf(deps), readParts(deps.db, ticket, entry)]);
  return { ref, ...parts };
}

async function readParts(db: Db, ticket: Ticket, entry: ThreadEntry | undefined) {
  const [people, files] = await Promise.all([
    loadPeople(db, [ticket], entry ? [entry] : []),
    entry ? attachmentsOfEntry(db, entry.id) : [],
  ]);
  return { people, files };
}
