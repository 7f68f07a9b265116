// Everything the report page shows, gathered for one viewer. What the manager must never see
// (hidden comments, unreleased notes) is left out here, not merely unrendered.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { formatDate } from '../lib/dates.ts';
import { groupComments, type QuestionFigures, type RoundComments } from './aggregate.ts';
import { roundFigures } from './round-results.ts';
import { participationPercent, type DistributionChart, type DivergingBar } from './chart.ts';
import { listFocusPoints } from './focus-points-queries.ts';
import type { Viewer } from './access.ts';
import type { ReportRound } from './queries.ts';
import { formatMean, isReleased, leaningOf, type Change, type Leaning } from '../domain/request-life.ts';
import { chartOf, divergingOf, meanChanges, strengthsAndFocus, type Highlight } from './view.ts';

export interface FigureItem {
  type: 'figures';
  id: string;
  number: number;
  prompt: string;
  kind: QuestionFigures['kind'];
  suppressed: boolean;
  answered: number;
  notApplicable: number;
  mean: string | null;
  leaning: Leaning | null;
  chart: DistributionChart | null;
  /** Agree questions: the disagree / neutral / agree bar and the % favourable. */
  diverging: DivergingBar | null;
  change: { text: string; direction: 'up' | 'down' | 'same' } | null;
}

export interface CommentItem {
  type: 'comments';
  id: string;
  number: number;
  prompt: string;
  suppressed: boolean;
  comments: RoundComments['comments'];
}

export interface ReportPage {
  participation: { answered: number; invited: number; percent: number };
  strengths: Highlight[];
  focus: Highlight[];
  items: Array<FigureItem | CommentItem>;
  hiddenCount: number;
  previousDate: string | null;
  focusPoints: Awaited<ReturnType<typeof listFocusPoints>>;
}

function figureItem(question: QuestionFigures, change: Change | undefined): Omit<FigureItem, 'number'> {
  return {
    type: 'figures',
    id: question.id,
    prompt: question.prompt,
    kind: question.kind,
    suppressed: question.suppressed,
    answered: question.answered,
    notApplicable: question.notApplicable,
    mean: question.mean === null ? null : formatMean(question.mean),
    leaning: question.mean === null ? null : leaningOf(question.mean),
    chart: chartOf(question),
    diverging: divergingOf(question),
    change: change === undefined ? null : { text: change.amount, direction: change.direction },
  };
}

export async function loadReportPage(
  db: Kysely<Database>,
  opts: { round: ReportRound; viewer: Viewer; threshold: number; responses: number; fallbackThreshold: number },
): Promise<ReportPage> {
  const { round, viewer, threshold, responses } = opts;
  // The round to compare with and the comments came with the round (queries.ts);
  // focus points are only shown once released.
  const { previous } = round;
  const [figures, previousFigures, focusPoints] = await Promise.all([
    roundFigures(db, round, threshold),
    previous
      ? roundFigures(
          db,
          { id: previous.id, status: 'released' },
          previous.anonymity_threshold ?? opts.fallbackThreshold,
        )
      : [],
    isReleased(round) ? listFocusPoints(db, round.id) : [],
  ]);
  const changes = meanChanges(figures, previousFigures);
  const comments = groupComments(round.comments, threshold);
  const hiddenCount = comments.reduce((sum, question) => sum + question.comments.filter((c) => c.hidden).length, 0);
  const commentItems = comments.map((question) => ({
    type: 'comments' as const,
    id: question.questionId,
    position: question.position,
    prompt: question.prompt,
    suppressed: question.suppressed,
    comments: viewer === 'leader' ? question.comments : question.comments.filter((c) => !c.hidden),
  }));
  const figureItems = figures.map((q) => ({ ...figureItem(q, changes.get(q.id)), position: q.position }));
  // The questions in questionnaire order, numbered from 1 (figures before comments on a tie).
  const items = [...figureItems, ...commentItems]
    .sort((a, b) => a.position - b.position)
    .map(({ position: _position, ...item }, index) => ({ ...item, number: index + 1 }));
  const invited = round.invited_count ?? responses;
  return {
    participation: { answered: responses, invited, percent: participationPercent(responses, invited) },
    ...strengthsAndFocus(figures),
    items,
    hiddenCount,
    previousDate: changes.size && previous ? formatDate(previous.closed_at ?? previous.released_at!) : null,
    focusPoints,
  };
}
