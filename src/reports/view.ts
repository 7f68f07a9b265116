// Turns a round's figures into what the report page shows: the highlights, the change since
// the previous round, the chart of each question. Pure functions; the numbers come from SQL.
import {
  agreeLabels,
  AGREE_SCALE,
  sideOfPoint,
  changeBetween,
  formatMean,
  leaningOf,
  type Change,
  type Leaning,
} from '../domain/request-life.ts';
import type { Locale } from '../i18n/translate.ts';
import type { QuestionFigures } from './aggregate.ts';
import { distributionChart, divergingBar, type DistributionChart, type DivergingBar } from './chart.ts';

export interface Highlight {
  prompt: string;
  mean: string;
  /** Which way the mean leans: the badge's colour. */
  leaning: Leaning;
}

const hasMean = (q: QuestionFigures): q is QuestionFigures & { mean: number } =>
  q.kind === 'agree' && !q.suppressed && q.mean !== null;

/**
 * The three highest and three lowest means among agree questions with figures. With fewer
 * than six such questions they split the list (higher half strengths, lower half focus), so
 * no statement is ever both a strength and a focus area. Ties keep the questionnaire order.
 */
export function strengthsAndFocus(
  figures: QuestionFigures[],
  locale: Locale,
): { strengths: Highlight[]; focus: Highlight[] } {
  const ranked = figures.filter(hasMean).sort((a, b) => b.mean - a.mean || a.position - b.position);
  const strengths = ranked.slice(0, Math.min(3, Math.ceil(ranked.length / 2)));
  const focus = ranked.slice(strengths.length).reverse().slice(0, 3);
  const highlight = (q: QuestionFigures & { mean: number }) => ({
    prompt: q.prompt,
    mean: formatMean(q.mean, locale),
    leaning: leaningOf(q.mean),
  });
  return { strengths: strengths.map(highlight), focus: focus.map(highlight) };
}

/**
 * The change of each agree question's mean against the previous round, by question id.
 * Questions are matched by identical statement, and only when both rounds have figures.
 */
export function meanChanges(
  current: QuestionFigures[],
  previous: QuestionFigures[],
  locale: Locale,
): Map<string, Change> {
  const before = new Map(previous.filter(hasMean).map((q) => [q.prompt, q.mean]));
  const changes = new Map<string, Change>();
  for (const question of current.filter(hasMean)) {
    const earlier = before.get(question.prompt);
    if (earlier !== undefined) changes.set(question.id, changeBetween(earlier, question.mean, locale));
  }
  return changes;
}

/** Names of the points a question's counts are given for, in order (the agree scale's in `locale`). */
export function pointLabels(question: Pick<QuestionFigures, 'kind' | 'choices'>, locale: Locale): string[] {
  return question.kind === 'agree' ? agreeLabels(locale) : question.choices;
}

export function chartOf(question: QuestionFigures, locale: Locale): DistributionChart | null {
  if (question.suppressed) return null;
  const tones = question.kind === 'agree' ? AGREE_SCALE.map(sideOfPoint) : [];
  return distributionChart(pointLabels(question, locale), question.distribution, locale, tones);
}

/** The disagree / neutral / agree bar of an agree question with figures. */
export function divergingOf(question: QuestionFigures, locale: Locale): DivergingBar | null {
  return question.kind === 'agree' && !question.suppressed ? divergingBar(question.distribution, locale) : null;
}
