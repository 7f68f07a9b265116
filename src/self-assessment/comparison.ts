// The manager's own answers beside the team's figures, for the report: per agree statement
// whose team figures are shown, the team's mean, the manager's answer and the gap, and the
// statements where the two are clearly apart (selfGap in src/domain/request-life.ts). Pure:
// the figures come from round-results, the answers from self_answers.
import { agreeLabel, selfGapRule, formatMean, selfGap, type SelfGap } from '../domain/request-life.ts';
import type { Locale } from '../i18n/translate.ts';
import type { QuestionFigures } from '../reports/aggregate.ts';
import type { SelfAnswer } from './queries.ts';

export interface SelfBeside extends SelfGap {
  /** The manager's own answer, 1–5, and its words ("Agree"). */
  self: number;
  selfLabel: string;
  /** The team's mean as the page shows it. */
  team: string;
}

export interface GapItem extends SelfBeside {
  id: string;
  prompt: string;
}

export interface SelfComparison {
  /** By question id: the agree statements with team figures that the manager rated. */
  byQuestion: Map<string, SelfBeside>;
  blindSpots: GapItem[];
  hiddenStrengths: GapItem[];
  rule: string;
}

/** Null when the manager did not assess themself: the report then says nothing about it. */
export function compareWithTeam(
  figures: QuestionFigures[],
  saved: SelfAnswer[],
  /** The reader's language: the words of the manager's answer, the team's mean and the rule. */
  locale: Locale,
): SelfComparison | null {
  if (saved.length === 0) return null;
  const own = new Map(saved.map((answer) => [answer.question_id, answer]));
  const byQuestion = new Map<string, SelfBeside>();
  const items: Array<GapItem & { position: number; distance: number }> = [];
  for (const question of figures) {
    const answer = own.get(question.id);
    // Only statements whose team figures are shown take part: a suppressed one has no mean to compare.
    if (question.kind !== 'agree' || question.suppressed || question.mean === null) continue;
    if (!answer || answer.not_applicable || answer.value === null) continue;
    const beside = {
      self: answer.value,
      selfLabel: agreeLabel(answer.value, locale),
      team: formatMean(question.mean, locale),
      ...selfGap(answer.value, question.mean, locale),
    };
    byQuestion.set(question.id, beside);
    // The distance to the mean as shown (one decimal), whatever the language writes it as.
    const distance = Math.abs(answer.value - Math.round(question.mean * 10) / 10);
    items.push({ ...beside, id: question.id, prompt: question.prompt, position: question.position, distance });
  }
  // Widest gap first; equal gaps in questionnaire order.
  const listed = (kind: SelfGap['kind']) =>
    items
      .filter((item) => item.kind === kind)
      .sort((a, b) => b.distance - a.distance || a.position - b.position)
      .map(({ position: _p, distance: _d, ...item }) => item);
  return {
    byQuestion,
    blindSpots: listed('blind-spot'),
    hiddenStrengths: listed('hidden-strength'),
    rule: selfGapRule(locale),
  };
}
