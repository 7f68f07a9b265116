// Everything the check-back page and the report's follow-up section show of a round's
// check-backs, for one viewer: the focus points with their latest check-back result, the
// comments of closed check-backs that met their threshold (shuffled as a round's), and what
// can happen next (a launch, a team to paste, nothing due yet).
import type { Kysely } from 'kysely';
import type { Database, RequestKind, RequestStatus } from '../db/schema.ts';
import { allows, hasReport, thresholdInForce } from '../domain/request-life.ts';
import { commentRows, groupComments } from '../reports/aggregate.ts';
import { roundFigures } from '../reports/round-results.ts';
import type { Viewer } from '../reports/access.ts';
import { checkBackQuestions, checkBacksOf, focusPointsOfRound, roundTeamSize, type CheckBackRow } from './queries.ts';
import { closedResult, openResult, type DatesFor, type PointCheckBack } from './view.ts';

export interface CheckBackRound {
  id: string;
  status: RequestStatus;
  kind: RequestKind;
  invitees_purged_at: Date | null;
}

export interface FocusPointWithCheckBack {
  id: string;
  text: string;
  followUpOn: string;
  createdAt: Date;
  done: boolean;
  /** Due (follow-up date today or earlier) and not asked about by any check-back yet. */
  toAsk: boolean;
  /** Its latest check-back, if one asked about it. */
  checkBack: PointCheckBack | null;
}

/**
 * Per focus point of the round, its latest check-back result (for the leader overview too).
 * `today` is YYYY-MM-DD from the injected clock, on the round's (its leader's) clock; `reader` writes the
 * dates in their language and zone (English and UTC unless given).
 */
export async function focusPointsWithCheckBacks(
  db: Kysely<Database>,
  roundId: string,
  opts: { viewer: Viewer; today: string; fallbackThreshold: number; reader: DatesFor },
): Promise<{ points: FocusPointWithCheckBack[]; checkBacks: CheckBackRow[] }> {
  const [points, checkBacks] = await Promise.all([focusPointsOfRound(db, roundId), checkBacksOf(db, roundId)]);
  const launched = checkBacks.filter((row) => row.launched_at !== null);
  const questions = await checkBackQuestions(
    db,
    launched.map((row) => row.id),
  );
  const figures = new Map(
    await Promise.all(
      launched.filter(hasReport).map(async (row) => {
        const threshold = thresholdInForce(row, opts.fallbackThreshold);
        return [row.id, await roundFigures(db, row, threshold)] as const;
      }),
    ),
  );
  const resultOf = (pointId: string): PointCheckBack | null => {
    // Newest first: the first check-back that asked about the point is its latest.
    for (const row of launched) {
      const question = questions.find((q) => q.request_id === row.id && q.focus_point_id === pointId);
      if (!question) continue;
      if (!hasReport(row)) return openResult(row, opts.viewer, opts.reader);
      const figure = figures.get(row.id)?.find((f) => f.id === question.id);
      return closedResult(row, figure, thresholdInForce(row, opts.fallbackThreshold), opts.reader);
    }
    return null;
  };
  return {
    checkBacks,
    points: points.map((point) => ({
      id: point.id,
      text: point.text,
      followUpOn: point.follow_up_on,
      createdAt: point.created_at,
      done: point.done_at !== null,
      toAsk: !point.asked && point.follow_up_on <= opts.today,
      checkBack: resultOf(point.id),
    })),
  };
}

/** The comments of the closed check-backs that met their threshold, newest check-back first. */
async function checkBackComments(db: Kysely<Database>, checkBacks: CheckBackRow[], fallbackThreshold: number) {
  const shown = checkBacks.filter(
    (row) => hasReport(row) && Number(row.answered ?? 0) >= thresholdInForce(row, fallbackThreshold),
  );
  const groups = await Promise.all(
    shown.map(async (row) => {
      const threshold = thresholdInForce(row, fallbackThreshold);
      const questions = groupComments(await commentRows(db, row.id).execute(), threshold);
      return questions.flatMap((q) => q.comments.filter((c) => !c.hidden).map((c) => c.text));
    }),
  );
  return shown
    .map((row, index) => ({ closedOn: row.closed_at, comments: groups[index]! }))
    .filter((group) => group.comments.length > 0);
}

export type TeamSource = { pasted: boolean; size: number } | null;

/** What the report's follow-up section and the check-back page show of the round's check-backs. */
export async function loadCheckBacks(
  db: Kysely<Database>,
  round: CheckBackRound,
  opts: { viewer: Viewer; today: string; fallbackThreshold: number; reader: DatesFor },
) {
  const { points, checkBacks } = await focusPointsWithCheckBacks(db, round.id, opts);
  const pending = checkBacks.find((row) => row.status === 'submitted');
  const roundTeam = round.invitees_purged_at ? 0 : await roundTeamSize(db, round.id);
  const team: TeamSource = pending
    ? { pasted: true, size: Number(pending.team ?? 0) }
    : roundTeam > 0
      ? { pasted: false, size: roundTeam }
      : null;
  const toAsk = points.filter((point) => point.toAsk);
  const offered = allows.checkBack(round) && toAsk.length > 0;
  return {
    offered,
    points,
    toAsk,
    /** The next follow-up date of a point not asked about yet, when none is due today. */
    nextDue: points.find((point) => !point.toAsk && !point.checkBack)?.followUpOn ?? null,
    team,
    /** The round's addresses are gone and no team was pasted: the manager is asked for it. */
    teamNeeded: offered && team === null,
    byPoint: Object.fromEntries(points.map((point) => [point.id, point.checkBack])),
    byPointAsked: points.filter((point) => point.checkBack !== null),
    comments: allows.checkBack(round) ? await checkBackComments(db, checkBacks, opts.fallbackThreshold) : [],
  };
}

export type CheckBacks = Awaited<ReturnType<typeof loadCheckBacks>>;
