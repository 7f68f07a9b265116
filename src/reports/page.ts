// Everything the report page shows, gathered for one viewer. What the manager must never see
// (hidden comments, unreleased notes) is left out here, not merely unrendered.
//
// The figures part (highlights, and per question the mean, chart and table) is the same for
// every viewer of a closed round and never changes, so it is rendered once per round in each
// process; a view renders only what is its own: comments with their hide forms, notes, focus
// points, the CSRF token.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';
import { formatDate } from '../lib/dates.ts';
import { groupComments, type QuestionFigures, type RoundComments } from './aggregate.ts';
import { roundFigures } from './round-results.ts';
import { participationPercent, type DistributionChart } from './chart.ts';
import { listFocusPoints } from './focus-points-queries.ts';
import type { Viewer } from './access.ts';
import type { PreviousRound, ReportRound } from './queries.ts';
import { formatMean, hasReport, type Change } from '../domain/request-life.ts';
import { chartOf, meanChanges, strengthsAndFocus, type Highlight } from './view.ts';

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
  chart: DistributionChart | null;
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

/** A figures question as the page lists it: the mark its section is put in at (spliceFigures). */
export interface RenderedFigures {
  type: 'figures';
  html: typeof FIGURES_MARK;
  number: number;
}

export interface ReportPage {
  participation: { answered: number; invited: number; percent: number };
  strengths: Highlight[];
  focus: Highlight[];
  items: Array<RenderedFigures | CommentItem>;
  hiddenCount: number;
  previousDate: string | null;
  focusPoints: Awaited<ReturnType<typeof listFocusPoints>>;
  /** The figures sections as UTF-8, in the order of their marks in `items`. */
  figures: Buffer[];
}

/**
 * Where a figures section goes in the rendered page. The sections are kept as UTF-8 bytes and
 * put in after rendering (spliceFigures) rather than passed through the template as text: that
 * is about 50 KB per view that would otherwise be concatenated, flattened and encoded again,
 * as two-byte text whenever one character needs it (a "−" in a change, an en dash in an
 * option), which doubled the cost of rendering the page. An HTML comment cannot come out of
 * anything escaped, and its random part cannot be guessed, so the mark is never content.
 */
export const FIGURES_MARK = `<!--figures ${randomUUID()}-->`;

/** The rendered page with each figures mark replaced by its section, in order. */
export function spliceFigures(page: string, figures: Buffer[]): Buffer {
  const parts = page.split(FIGURES_MARK);
  if (parts.length !== figures.length + 1)
    throw new Error(`report page: ${parts.length - 1} figures marks for ${figures.length} sections`);
  const chunks: Buffer[] = [];
  parts.forEach((part, index) => {
    chunks.push(Buffer.from(part));
    if (index < figures.length) chunks.push(figures[index]!);
  });
  return Buffer.concat(chunks);
}

/** Renders a view without the layout (Express's app.render, with the app's helpers). */
export type RenderView = (view: string, context: Record<string, unknown>) => Promise<string>;

/**
 * What every viewer of a closed round sees alike: the highlights and each figures question's
 * section (chart and table), the bulk of the page. It depends on the round's final figures,
 * its threshold, the previous round compared with (another round can be released later, so
 * that round's id is part of the key) and the question order, which never changes once a
 * round is launched.
 */
interface FiguresPart {
  strengths: Highlight[];
  focus: Highlight[];
  previousDate: string | null;
  /** Each section's HTML as UTF-8, without the indentation of its first line. */
  sections: Array<{ position: number; bytes: Buffer }>;
}

/** A few hundred rounds of about 50 KB each at most. */
const figuresParts = new BoundedCache<FiguresPart>(200);

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
    chart: chartOf(question),
    change: change === undefined ? null : { text: change.amount, direction: change.direction },
  };
}

/** The questions in questionnaire order, numbered from 1 (figures before comments on a tie). */
function inOrder<F extends { position: number }, C extends { position: number }>(
  figures: F[],
  comments: C[],
): Array<(F | C) & { number: number }> {
  return [...figures, ...comments]
    .sort((a, b) => a.position - b.position)
    .map((item, index) => ({ ...item, number: index + 1 }));
}

async function figuresPart(
  db: Kysely<Database>,
  opts: {
    round: ReportRound;
    threshold: number;
    previous: PreviousRound | null;
    previousThreshold: number;
    commentPositions: number[];
    render: RenderView;
  },
): Promise<FiguresPart> {
  const { round, threshold, previous } = opts;
  const [figures, previousFigures] = await Promise.all([
    roundFigures(db, round, threshold),
    previous ? roundFigures(db, { id: previous.id, status: 'released' }, opts.previousThreshold) : [],
  ]);
  const changes = meanChanges(figures, previousFigures);
  const previousDate = changes.size && previous ? formatDate(previous.closed_at ?? previous.released_at!) : null;
  const items = inOrder(
    figures.map((q) => ({ ...figureItem(q, changes.get(q.id)), position: q.position })),
    opts.commentPositions.map((position) => ({ type: 'comments' as const, position })),
  );
  const sections = await Promise.all(
    items.flatMap((item) =>
      item.type === 'figures'
        ? [
            opts
              .render('reports/question-figures', { ...item, threshold, previousDate })
              .then((html) => ({ position: item.position, bytes: Buffer.from(html.trimEnd()) })),
          ]
        : [],
    ),
  );
  return { ...strengthsAndFocus(figures), previousDate, sections };
}

export async function loadReportPage(
  db: Kysely<Database>,
  opts: {
    round: ReportRound;
    viewer: Viewer;
    threshold: number;
    responses: number;
    fallbackThreshold: number;
    render: RenderView;
    cache: boolean;
  },
): Promise<ReportPage> {
  const { round, viewer, threshold, responses } = opts;
  // The round to compare with and the comments came with the round (queries.ts);
  // focus points are only shown once released.
  const { previous } = round;
  const comments = groupComments(round.comments, threshold);
  const focusPoints = round.status === 'released' ? await listFocusPoints(db, round.id) : [];
  const previousThreshold = previous?.anonymity_threshold ?? opts.fallbackThreshold;
  const build = () =>
    figuresPart(db, {
      round,
      threshold,
      previous,
      previousThreshold,
      commentPositions: comments.map((q) => q.position),
      render: opts.render,
    });
  // A round with a report is closed: its figures part is final (cached unless templates are
  // reloaded on every render, as in development).
  const figuresKey =
    opts.cache && hasReport(round)
      ? `${round.id}:${threshold}:${previous ? `${previous.id}:${previousThreshold}` : '-'}`
      : null;
  const part = figuresKey ? await figuresParts.get(figuresKey, build) : await build();

  const hiddenCount = comments.reduce((sum, question) => sum + question.comments.filter((c) => c.hidden).length, 0);
  const commentItems = comments.map((question) => ({
    type: 'comments' as const,
    id: question.questionId,
    position: question.position,
    prompt: question.prompt,
    suppressed: question.suppressed,
    comments: viewer === 'leader' ? question.comments : question.comments.filter((c) => !c.hidden),
  }));
  const figureItems = part.sections.map((section) => ({
    type: 'figures' as const,
    html: FIGURES_MARK,
    position: section.position,
    bytes: section.bytes,
  }));
  const figures: Buffer[] = [];
  const items = inOrder(figureItems, commentItems).map((item): RenderedFigures | CommentItem => {
    if (item.type === 'comments')
      return {
        type: item.type,
        id: item.id,
        number: item.number,
        prompt: item.prompt,
        suppressed: item.suppressed,
        comments: item.comments,
      };
    figures.push(item.bytes);
    return { type: item.type, html: item.html, number: item.number };
  });
  const invited = round.invited_count ?? responses;
  return {
    participation: { answered: responses, invited, percent: participationPercent(responses, invited) },
    strengths: part.strengths,
    focus: part.focus,
    items,
    hiddenCount,
    previousDate: part.previousDate,
    focusPoints,
    figures,
  };
}
