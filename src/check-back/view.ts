// What the pages show of a check-back: per focus point its latest check-back, open (until
// when, and for the leader how many answered) or closed (mean, % favourable, answers, or
// "not enough answers"). Pure functions; the numbers come from SQL (reports/aggregate.ts).
import { favourablePercent, formatMean, leaningOf, type Leaning } from '../domain/request-life.ts';
import { formatDate } from '../lib/dates.ts';
import type { QuestionFigures } from '../reports/aggregate.ts';
import type { Viewer } from '../reports/access.ts';
import type { CheckBackRow } from './queries.ts';

export type PointCheckBack =
  | {
      open: true;
      /** The check-back's own request, whose /collect page the leader follows it on. */
      id: string;
      closesOn: string;
      /** The leader's only, as for a round while open. */
      participation: { answered: number; invited: number } | null;
    }
  | {
      open: false;
      closedOn: string;
      participation: { answered: number; invited: number };
      /** Fewer than the check-back's threshold answered this statement: no figures. */
      suppressed: boolean;
      mean: string | null;
      leaning: Leaning | null;
      favourable: number | null;
      answered: number;
      threshold: number;
    };

const participationOf = (row: CheckBackRow) => ({
  answered: Number(row.answered ?? 0),
  invited: row.invited_count ?? 0,
});

/** An open check-back as a focus point shows it. */
export function openResult(row: CheckBackRow, viewer: Viewer): PointCheckBack {
  return {
    open: true,
    id: row.id,
    closesOn: formatDate(row.closes_at),
    participation: viewer === 'leader' ? participationOf(row) : null,
  };
}

/** A closed check-back's figures for one focus point's question. */
export function closedResult(
  row: CheckBackRow,
  question: QuestionFigures | undefined,
  threshold: number,
): PointCheckBack {
  const suppressed = !question || question.suppressed || question.mean === null;
  return {
    open: false,
    closedOn: formatDate(row.closed_at ?? row.closes_at),
    participation: participationOf(row),
    suppressed,
    mean: suppressed ? null : formatMean(question.mean!),
    leaning: suppressed ? null : leaningOf(question.mean!),
    favourable: suppressed ? null : favourablePercent(question.distribution),
    answered: suppressed ? 0 : question.answered,
    threshold,
  };
}

/** "Send to 5 team members, closes on 10 February 2027": what the launch button does. */
export const launchSummary = (size: number, closesOn: string) =>
  `Send to ${size} team member${size === 1 ? '' : 's'}, closes on ${closesOn}`;
