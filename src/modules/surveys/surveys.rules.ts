import { createHash, randomBytes } from 'node:crypto';
import { DAY } from '../../lib/clock.ts';
import type { Setting } from '../settings/settings.service.ts';

export type SurveySettings = Setting<'surveys'>;
export type SurveyRules = Omit<SurveySettings, 'departments'>;

/** The desk's survey settings with a department's own fields over them. */
export function rulesFor(s: SurveySettings, departmentId: number): SurveyRules {
  const { departments, ...desk } = s;
  return { ...desk, ...departments[String(departmentId)] };
}

/** A first answer is taken this long after the mail; changes then run for changeDays from it. */
export const ANSWER_DAYS = 30;

export const answerDeadline = (sentAt: number, rules: SurveyRules) =>
  sentAt + (rules.changeDays + ANSWER_DAYS) * DAY;

export const changeDeadline = (firstAnswerAt: number, rules: SurveyRules) =>
  firstAnswerAt + rules.changeDays * DAY;

export const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Scores a scale takes: binary keeps 1 (bad) and 5 (good) so one average fits both. */
export const scoresOf = (scale: SurveyRules['scale']) => (scale === 'five' ? [1, 2, 3, 4, 5] : [1, 5]);
