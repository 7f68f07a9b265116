// Everything the report page shows, gathered for one viewer. What the manager must never see
// (hidden comments, unreleased notes) is left out here, not merely unrendered.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { formatMonth } from '../lib/dates.ts';
import { formatDateIn } from '../i18n/format.ts';
import { intlLocale, t, type Locale } from '../i18n/translate.ts';
import { groupComments, type QuestionFigures, type RoundComments } from './aggregate.ts';
import { roundFigures } from './round-results.ts';
import {
  participationPercent,
  trendChart,
  type DistributionChart,
  type DivergingBar,
  type TrendChart,
} from './chart.ts';
import { earlierMeans, type TrendRow } from './trend-queries.ts';
import { listFocusPoints } from './focus-points-queries.ts';
import type { Viewer } from './access.ts';
import type { ReportRound } from './queries.ts';
import { formatMean, isReleased, leaningOf, type Change, type Leaning } from '../domain/request-life.ts';
import { chartOf, divergingOf, meanChanges, strengthsAndFocus, type Highlight } from './view.ts';
import { compareWithTeam, type GapItem, type SelfBeside } from '../self-assessment/comparison.ts';
import { selfAnswersOf } from '../self-assessment/queries.ts';

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
  /** Agree questions asked in earlier released rounds too: the mean in each, and in this one. */
  trend: TrendChart | null;
  change: { text: string; direction: 'up' | 'down' | 'same' } | null;
  /** The manager's own answer beside the team's mean, and the gap (when they assessed themself). */
  self: SelfBeside | null;
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
  /** The manager's self-assessment beside the team's figures; null if they did not assess themself. */
  selfComparison: { blindSpots: GapItem[]; hiddenStrengths: GapItem[]; rule: string } | null;
}

/** Who reads the page: their language, and the time zone their dates are on. */
export interface Reader {
  locale: Locale;
  zone: string;
}

function figureItem(
  question: QuestionFigures,
  change: Change | undefined,
  trend: TrendChart | null,
  self: SelfBeside | null,
  locale: Locale,
): Omit<FigureItem, 'number'> {
  return {
    type: 'figures',
    id: question.id,
    prompt: question.prompt,
    kind: question.kind,
    suppressed: question.suppressed,
    answered: question.answered,
    notApplicable: question.notApplicable,
    mean: question.mean === null ? null : formatMean(question.mean, locale),
    leaning: question.mean === null ? null : leaningOf(question.mean),
    chart: chartOf(question, locale),
    diverging: divergingOf(question, locale),
    trend,
    change: change === undefined ? null : { text: change.amount, direction: change.direction },
    self,
  };
}

export async function loadReportPage(
  db: Kysely<Database>,
  opts: {
    round: ReportRound;
    viewer: Viewer;
    threshold: number;
    responses: number;
    fallbackThreshold: number;
    /** English on UTC's clock unless told. */
    reader?: Reader;
  },
): Promise<ReportPage> {
  const { round, viewer, threshold, responses } = opts;
  const reader = opts.reader ?? { locale: 'en', zone: 'UTC' };
  const { locale } = reader;
  const dateOf = (value: Date | string) => formatDateIn(locale, value, reader.zone);
  // The round to compare with and the comments came with the round (queries.ts);
  // focus points are shown to the leader once the report exists, to the manager once released.
  const { previous } = round;
  const [figures, previousFigures, focusPoints, selfAnswers] = await Promise.all([
    roundFigures(db, round, threshold),
    previous
      ? roundFigures(
          db,
          { id: previous.id, status: 'released' },
          previous.anonymity_threshold ?? opts.fallbackThreshold,
        )
      : [],
    isReleased(round) || viewer === 'leader' ? listFocusPoints(db, round.id) : [],
    // The leader sees the manager's self-assessment once the report exists; the manager, once
    // it is released (stage 'report' for them, context.ts). Asked again here so it never leaks.
    viewer === 'leader' || isReleased(round) ? selfAnswersOf(db, round.id) : [],
  ]);
  const comparison = compareWithTeam(figures, selfAnswers, locale);
  const changes = meanChanges(figures, previousFigures, locale);
  // After the previous round's figures, which store its results if it had none yet.
  const earlier = await earlierMeans(db, round, opts.fallbackThreshold);
  const thisRound = dateOf(round.closed_at ?? round.created_at);
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
  const figureItems = figures.map((q) => ({
    ...figureItem(
      q,
      changes.get(q.id),
      trendOf(q, earlier, thisRound, reader),
      comparison?.byQuestion.get(q.id) ?? null,
      locale,
    ),
    position: q.position,
  }));
  // The questions in questionnaire order, numbered from 1 (figures before comments on a tie).
  const items = [...figureItems, ...commentItems]
    .sort((a, b) => a.position - b.position)
    .map(({ position: _position, ...item }, index) => ({ ...item, number: index + 1 }));
  const invited = round.invited_count ?? responses;
  return {
    participation: { answered: responses, invited, percent: participationPercent(responses, invited) },
    ...strengthsAndFocus(figures, locale),
    items,
    hiddenCount,
    previousDate: changes.size && previous ? dateOf(previous.closed_at ?? previous.released_at!) : null,
    focusPoints,
    selfComparison: comparison && {
      blindSpots: comparison.blindSpots,
      hiddenStrengths: comparison.hiddenStrengths,
      rule: comparison.rule,
    },
  };
}

/** The trend of one agree question: its mean in each earlier round that asked it word for word, then this one. */
function trendOf(question: QuestionFigures, earlier: TrendRow[], thisRound: string, reader: Reader): TrendChart | null {
  if (question.kind !== 'agree' || question.mean === null) return null;
  const before = earlier.filter((row) => row.prompt === question.prompt);
  if (before.length === 0) return null;
  const { locale, zone } = reader;
  return trendChart(
    [
      ...before.map((row) => ({
        label: formatDateIn(locale, row.on, zone),
        short: monthIn(locale, row.on),
        mean: row.mean,
        current: false,
      })),
      { label: thisRound, short: t(locale, 'chart.thisRound'), mean: question.mean, current: true },
    ],
    locale,
  );
}

/** "Nov 2026" ("Nov. 2026", "nov. 2026") under a trend's column; English as formatMonth writes it. */
const monthIn = (locale: Locale, value: Date) =>
  locale === 'en'
    ? formatMonth(value)
    : new Intl.DateTimeFormat(intlLocale(locale), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(value);
