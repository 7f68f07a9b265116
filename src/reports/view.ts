// Turns a round's figures into what the report page shows: the highlights, the change since
// the previous round, the chart of each question. Pure functions; the numbers come from SQL.
import { AGREE_SCALE, type QuestionFigures } from './aggregate.ts';
import { AGREE_LABELS, distributionChart, type DistributionChart } from './chart.ts';

export interface Highlight {
  prompt: string;
  mean: string;
}

/** "4.2": means are shown to one decimal, which is all five-point answers can support. */
export const formatMean = (mean: number) => mean.toFixed(1);

/** "+0.4", "−0.3" (a real minus sign, read as "minus"), or "±0.0". */
export function formatChange(delta: number): string {
  const rounded = Math.round(delta * 10) / 10;
  if (rounded === 0) return '±0.0';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)}`;
}

const hasMean = (q: QuestionFigures): q is QuestionFigures & { mean: number } =>
  q.kind === 'agree' && !q.suppressed && q.mean !== null;

/**
 * The three highest and three lowest means among agree questions with figures. With fewer
 * than six such questions they split the list (higher half strengths, lower half focus), so
 * no statement is ever both a strength and a focus area. Ties keep the questionnaire order.
 */
export function strengthsAndFocus(figures: QuestionFigures[]): { strengths: Highlight[]; focus: Highlight[] } {
  const ranked = figures.filter(hasMean).sort((a, b) => b.mean - a.mean || a.position - b.position);
  const strengths = ranked.slice(0, Math.min(3, Math.ceil(ranked.length / 2)));
  const focus = ranked.slice(strengths.length).reverse().slice(0, 3);
  const highlight = (q: QuestionFigures & { mean: number }) => ({ prompt: q.prompt, mean: formatMean(q.mean) });
  return { strengths: strengths.map(highlight), focus: focus.map(highlight) };
}

/**
 * The change of each agree question's mean against the previous round, by question id.
 * Questions are matched by identical statement, and only when both rounds have figures.
 */
export function meanChanges(current: QuestionFigures[], previous: QuestionFigures[]): Map<string, number> {
  const before = new Map(previous.filter(hasMean).map((q) => [q.prompt, q.mean]));
  const changes = new Map<string, number>();
  for (const question of current.filter(hasMean)) {
    const earlier = before.get(question.prompt);
    if (earlier !== undefined) changes.set(question.id, question.mean - earlier);
  }
  return changes;
}

/** Names of the points a question's counts are given for, in order. */
export function pointLabels(question: Pick<QuestionFigures, 'kind' | 'choices'>): string[] {
  return question.kind === 'agree' ? AGREE_SCALE.map((point) => AGREE_LABELS[point - 1]!) : question.choices;
}

export function chartOf(question: QuestionFigures): DistributionChart | null {
  return question.suppressed ? null : distributionChart(pointLabels(question), question.distribution);
}
