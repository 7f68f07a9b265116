// What the leader's overview shows in words: each request's row, which way a statement
// moved (a word beside the symbol, never colour or symbol alone), and who a total leaves out.
// Pure functions; leader-overview.ts loads the figures.
import { hasReport, STATUS_WORDS } from '../../domain/request-life.ts';
import type { QuestionFigures } from '../../reports/aggregate.ts';
import type { CollectedRequest } from '../queries.ts';
import { participation } from '../view.ts';

export type RequestRow = ReturnType<typeof requestRow>;

/** A request as the overview and the table show it: its state in words, participation once launched. */
export function requestRow(row: CollectedRequest) {
  return {
    ...row,
    state: STATUS_WORDS.leader[row.status],
    // The leader may follow the count while open, and keeps seeing it after the close.
    participation: participation(Number(row.answered ?? 0), row.invited_count),
    hasReport: hasReport(row),
  };
}

/** Why an agree statement of the latest round has no change to show. */
export function notComparedReason(question: QuestionFigures, previous: QuestionFigures[]): string {
  if (question.suppressed) return 'Not compared: too few answers to it in this round.';
  const before = previous.find((q) => q.kind === 'agree' && q.prompt === question.prompt);
  if (!before) return 'Not compared: the previous round did not ask it.';
  return 'Not compared: too few answers to it in the previous round.';
}

const teams = (count: number) => (count === 1 ? '1 team' : `${count} teams`);

/**
 * "1 team with fewer than 3 answers is left out, so no team can be worked out by
 * subtraction." Null when no team is left out.
 */
export function leftOutSentence(count: number, thresholds: { min: number; max: number } | null): string | null {
  if (count === 0 || !thresholds) return null;
  const why =
    thresholds.min === thresholds.max
      ? `fewer than ${thresholds.min} answers`
      : `fewer answers than ${count === 1 ? 'its round' : 'their rounds'} needed`;
  return `${teams(count)} with ${why} ${count === 1 ? 'is' : 'are'} left out, so no team can be worked out by subtraction.`;
}

/** For one statement's average: the counted teams whose answers to it were too few to show. */
export function statementLeftOut(count: number): string | null {
  if (count === 0) return null;
  return `${teams(count)} with too few answers to this statement ${count === 1 ? 'is' : 'are'} left out.`;
}
