import { rulesFor, type SurveySettings } from './surveys.rules.ts';

const FIVE = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'];

/** One link per score, best first; each opens the page that asks to confirm (a GET records nothing). */
export function surveyLinks(s: SurveySettings, departmentId: number, url: string): string {
  const { scale } = rulesFor(s, departmentId);
  const choices =
    scale === 'binary'
      ? [
          { score: 5, label: 'Good' },
          { score: 1, label: 'Bad' },
        ]
      : FIVE.map((label, i) => ({ score: i + 1, label })).reverse();
  return choices.map((c) => `${c.label}: ${url}?score=${c.score}`).join('\n');
}
