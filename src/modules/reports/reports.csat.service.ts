import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { CsatOut } from '../../contract/reports.contract.ts';
import type { Scope } from './reports.scope.ts';
import { countSurveysSent, ratingsInRange } from './reports.tickets.repository.ts';

// Customer satisfaction from ticket_ratings (one per ticket; binary answers
// are stored as 1 = bad, 5 = good). A rating counts in the period it was
// first given; the score is the share of satisfied answers (4–5) in percent.

export type Csat = z.output<typeof CsatOut>;

export const COMMENT_LIMIT = 200;

const pct = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

/** The satisfied share of a set of scores, in percent (null without answers). */
export const satisfaction = (scores: number[]): number | null =>
  pct(scores.filter((s) => s >= 4).length, scores.length);

export async function csatReport(db: Db, scope: Scope): Promise<Csat> {
  const sent = await countSurveysSent(db, scope);
  const ratings = await ratingsInRange(db, scope);
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const r of ratings) {
    const key = String(r.score) as keyof typeof distribution;
    if (key in distribution) distribution[key]++;
  }
  return {
    sent,
    responses: ratings.length,
    responseRate: pct(ratings.length, sent),
    score: satisfaction(ratings.map((r) => r.score)),
    distribution,
    comments: ratings
      .filter((r) => r.comment !== null && r.comment.trim() !== '')
      .slice(0, COMMENT_LIMIT)
      .map((r) => ({
        number: r.number,
        score: r.score,
        comment: r.comment!,
        at: Number(r.created_at),
        agent: r.agent,
      })),
  };
}
