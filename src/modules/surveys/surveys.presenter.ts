import type { Ticket } from '../../db/schema.ts';
import type { RatingRow } from './surveys.repository.ts';
import { changeDeadline, type SurveyRules } from './surveys.rules.ts';
import { isoOrNull } from '../../contract/instant.contract.ts';

export interface SurveyView {
  ticket: { number: string; subject: string; state: string };
  scale: SurveyRules['scale'];
  rating: { score: number; comment: string | null } | null;
  /** Until when an answer is taken (ISO); null when rating is not possible (yet). */
  changeableUntil: string | null;
}

/** A survey as its customer sees it; `answerBy` is the deadline of a first answer (null: not possible). */
export function view(
  ticket: Ticket,
  rules: SurveyRules,
  rating: RatingRow | undefined,
  answerBy: number | null,
): SurveyView {
  const until = rating ? changeDeadline(rating.created_at, rules) : answerBy;
  return {
    ticket: { number: ticket.number, subject: ticket.subject, state: ticket.state },
    scale: rating?.scale ?? rules.scale,
    rating: rating ? { score: rating.score, comment: rating.comment } : null,
    changeableUntil: isoOrNull(until),
  };
}
