import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { Ticket } from '../../db/schema.ts';
import type { NewJob } from '../outbox/outbox.registry.ts';
import { enqueue } from '../outbox/outbox.service.ts';
import { inTransactionWithRef, referenceOf, type Deps } from '../../lib/deps.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { parseInput } from '../../lib/validate.ts';
import type { Actor, CustomerActor } from '../auth/auth.actor.ts';
import type { ReferenceSnapshot } from '../directory/reference-cache.ts';
import { recordEvents } from '../tickets/tickets.events.repository.ts';
import { loadVisibleTicket } from '../tickets/tickets.change.service.ts';
import { findTicketById, lockTicketByNumber } from '../tickets/tickets.repository.ts';
import { view, type SurveyView } from './surveys.presenter.ts';
import * as repo from './surveys.repository.ts';
import { Answer } from '../../contract/surveys.contract.ts';
import {
  answerDeadline,
  changeDeadline,
  hashToken,
  newToken,
  rulesFor,
  scoresOf,
  type SurveyRules,
} from './surveys.rules.ts';

// The satisfaction survey: a request goes out (in the transaction that resolves
// or closes the ticket), the customer answers through the mailed link or from
// the portal, and the one rating per ticket may change for changeDays.

/**
 * The survey jobs for a ticket leaving work, in the caller's transaction. The
 * 'resolved' trigger also fires on a close straight from work (no resolution
 * came first); nothing is sent once the ticket has a rating.
 */
export async function surveyOnLeave(
  trx: Db,
  ref: ReferenceSnapshot,
  ticket: Ticket,
  event: 'resolved' | 'closed',
  now: number,
): Promise<NewJob[]> {
  const rules = rulesFor(ref.settings.surveys, ticket.department_id);
  if (!rules.enabled) return [];
  const fires =
    rules.trigger === event ||
    (rules.trigger === 'resolved' && event === 'closed' && ticket.state !== 'resolved');
  if (!fires || (await repo.findRating(trx, ticket.id))) return [];
  const token = newToken();
  await repo.insertRequest(trx, {
    ticketId: ticket.id,
    customerId: ticket.requester_id,
    tokenHash: hashToken(token),
    trigger: rules.trigger,
    now,
    expiresAt: answerDeadline(now, rules),
  });
  return [{ type: 'mail.survey', payload: { ticketId: ticket.id, token } }];
}

/** Reads a survey by its link; writes nothing (mail scanners open every link). */
export async function readSurvey(deps: Deps, token: string): Promise<SurveyView> {
  const ref = await referenceOf(deps);
  const { request, ticket } = await requestOf(deps.db, token);
  return view(
    ticket,
    rulesFor(ref.settings.surveys, ticket.department_id),
    await repo.findRating(deps.db, ticket.id),
    request.expires_at,
  );
}

/** Records or changes the rating through the mailed link. */
export async function answerSurvey(deps: Deps, token: string, raw: unknown): Promise<SurveyView> {
  const input = parseInput(Answer, raw);
  return inTransactionWithRef(deps, async (trx, ref) => {
    const { request, ticket: found } = await requestOf(trx, token);
    // Locked like every ticket change: two first answers at once become an insert and a change.
    const ticket = (await lockTicketByNumber(trx, found.number)) ?? found;
    const customer: CustomerActor = {
      kind: 'customer',
      id: ticket.requester_id,
      organizationId: null,
      seesOrganization: false,
    };
    return rateIn(trx, ref, ticket, customer, input, deps.clock.now(), request.expires_at);
  });
}

/** The survey of one ticket for its signed-in customer (or staff, read only). */
export async function ticketSurvey(deps: Deps, actor: Actor, number: string): Promise<SurveyView> {
  const ref = await referenceOf(deps);
  const ticket = await loadVisibleTicket(deps.db, actor, number, false);
  const rules = rulesFor(ref.settings.surveys, ticket.department_id);
  return view(ticket, rules, await repo.findRating(deps.db, ticket.id), portalDeadline(ticket, rules));
}

/** A customer rates their own resolved or closed ticket from the portal. */
export async function rateTicket(
  deps: Deps,
  actor: Actor,
  number: string,
  raw: unknown,
): Promise<SurveyView> {
  const input = parseInput(Answer, raw);
  if (actor.kind !== 'customer') throw new AppError('forbidden', 403, 'Only the customer rates a ticket');
  return inTransactionWithRef(deps, async (trx, ref) => {
    const ticket = await loadVisibleTicket(trx, actor, number);
    if (ticket.requester_id !== actor.id)
      throw new AppError('forbidden', 403, 'Only the customer who opened the ticket rates it');
    const rules = rulesFor(ref.settings.surveys, ticket.department_id);
    return rateIn(trx, ref, ticket, actor, input, deps.clock.now(), portalDeadline(ticket, rules));
  });
}

/** From the portal a rating is taken once the ticket left work, as long as a mailed link would be. */
function portalDeadline(ticket: Ticket, rules: SurveyRules): number | null {
  if (!rules.enabled || ticket.resolved_at === null) return null;
  return answerDeadline(ticket.resolved_at, rules);
}

async function requestOf(db: Db, token: string) {
  const request = await repo.findRequest(db, hashToken(token));
  const ticket = request ? await findTicketById(db, request.ticket_id) : undefined;
  if (!request || !ticket) throw notFound('survey');
  return { request, ticket };
}

/** The one rating: insert or change, an event on the ticket, and the lead's alert on a low score. */
async function rateIn(
  trx: Db,
  ref: ReferenceSnapshot,
  ticket: Ticket,
  customer: CustomerActor,
  input: z.output<typeof Answer>,
  now: number,
  answerBy: number | null,
): Promise<SurveyView> {
  const rules = rulesFor(ref.settings.surveys, ticket.department_id);
  const before = await repo.findRating(trx, ticket.id);
  const until = before ? changeDeadline(before.created_at, rules) : answerBy;
  if (until === null || now > until)
    throw new AppError('survey_closed', 409, 'This survey no longer takes answers');
  const scale = before?.scale ?? rules.scale;
  if (!scoresOf(scale).includes(input.score))
    throw invalid('invalid_score', `The score must be one of ${scoresOf(scale).join(', ')}`);
  const row: repo.RatingRow = {
    ticket_id: ticket.id,
    customer_id: customer.id,
    scale,
    score: input.score,
    comment: input.comment || null,
    agent_id: before ? before.agent_id : ticket.assignee_id,
    department_id: before ? before.department_id : ticket.department_id,
    created_at: before?.created_at ?? now,
    updated_at: now,
  };
  await repo.saveRating(trx, row, before !== undefined);
  await recordEvents(trx, [
    {
      ticketId: ticket.id,
      type: 'rated',
      actor: customer,
      now,
      data: { score: row.score, scale, before: before?.score ?? null, comment: row.comment !== null },
    },
  ]);
  const low = rules.notifyLeadAtOrBelow;
  if (low !== null && row.score <= low && (before === undefined || before.score > low)) {
    const lead = await repo.leadFor(trx, ticket.team_id, ticket.department_id);
    if (lead !== null)
      await enqueue(trx, now, [
        { type: 'notify.low_rating', payload: { ticketId: ticket.id, agentId: lead } },
      ]);
  }
  return view(ticket, rules, row, answerBy);
}
