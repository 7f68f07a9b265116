// The leader's overview (`GET /collect`): one entry per manager with their latest round, its
// participation and which way each statement moved since that manager's previous round,
// then what followed the last round with a report (one-on-one, focus points, next round);
// totals across teams below it (leader-overview-queries.ts); every earlier request last.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { dayOf } from '../../lib/dates.ts';
import { formatDateIn } from '../../i18n/format.ts';
import { t, type Locale } from '../../i18n/translate.ts';
import { focusPointsWithCheckBacks } from '../../check-back/page.ts';
import { questionFigures } from '../../reports/aggregate.ts';
import { formatMean, hasReport, thresholdInForce, type Change } from '../../domain/request-life.ts';
import { meanChanges } from '../../reports/view.ts';
import { listCollectedRequests, type CollectedRequest } from '../queries.ts';
import { followThrough, participationTotals, statementAverages } from './queries.ts';
import {
  followThroughView,
  leftOutSentence,
  statementLeftOut,
  notComparedReason,
  requestRow,
  type FollowThroughView,
  type Reader,
  type RequestRow,
} from './view.ts';

export interface TeamEntry {
  latest: RequestRow;
  /** Each agree statement of the latest round, with its change or why there is none. */
  changes: Array<{ prompt: string; change: Change | null; reason: string | null }>;
  /** "the round that closed on 16 November 2026", when the rounds could be compared. */
  comparedWith: string | null;
  /** Why no statement could be compared, when none could. */
  noComparison: string | null;
  /** The one-on-one, focus points and next round after the manager's last round with a report. */
  followThrough: FollowThroughView | null;
}

export interface Overview {
  teams: TeamEntry[];
  /** Every request that is not some manager's latest, newest first. */
  earlier: RequestRow[];
  totals: {
    /** Two or more teams counted: with one, a "total" would only repeat that team's report. */
    enough: boolean;
    teams: number;
    answered: number;
    invited: number;
    statements: Array<{ prompt: string; mean: string; teams: number; leftOut: string | null }>;
    leftOut: string | null;
    notClosed: number;
  } | null;
}

const isLaunched = (row: CollectedRequest) => row.launched_at !== null;
const metThreshold = (row: CollectedRequest, fallback: number) =>
  hasReport(row) && Number(row.answered ?? 0) >= thresholdInForce(row, fallback);

/**
 * Which way each statement moved between two rounds of the same manager. Only when both are
 * closed (or released) and both met their own threshold; a statement compares only where it
 * has figures in both (aggregate.ts suppresses it otherwise), matched by identical wording.
 */
async function teamChanges(
  db: Kysely<Database>,
  latest: CollectedRequest,
  previous: CollectedRequest | undefined,
  fallback: number,
  locale: Locale,
) {
  const none = (why: string) => ({
    changes: [],
    comparedWith: null,
    noComparison: t(locale, `overview.noChange.${why}`),
  });
  if (!hasReport(latest)) return none('notClosed');
  if (!metThreshold(latest, fallback)) return none('tooFew');
  if (!previous) return none('first');
  if (!metThreshold(previous, fallback)) return none('previousTooFew');

  const [current, before] = await Promise.all([
    questionFigures(db, latest.id, thresholdInForce(latest, fallback)),
    questionFigures(db, previous.id, thresholdInForce(previous, fallback)),
  ]);
  const deltas = meanChanges(current, before, locale);
  const changes = current
    .filter((question) => question.kind === 'agree')
    .map((question) => {
      const change = deltas.get(question.id);
      return {
        prompt: question.prompt,
        change: change ?? null,
        reason: change === undefined ? notComparedReason(question, before, locale) : null,
      };
    });
  const comparedWith = t(locale, 'overview.comparedWith', { date: formatDateIn(locale, previous.closed_at!) });
  return { changes, comparedWith, noComparison: null };
}

export async function loadOverview(
  db: Kysely<Database>,
  leaderEmail: string,
  fallbackThreshold: number,
  /** The injected clock's now (planned or held), the zone meetings are shown in, the leader's language. */
  at: { now: Date; timeZone: string; locale: Locale },
): Promise<Overview> {
  const reader: Reader = { locale: at.locale, timeZone: at.timeZone };
  const rows = await listCollectedRequests(db, leaderEmail);
  // Newest first: a manager's first row is their latest request, the next launched one their previous round.
  const byManager = new Map<string, CollectedRequest[]>();
  for (const row of rows) byManager.set(row.manager_id, [...(byManager.get(row.manager_id) ?? []), row]);
  const latestIds = new Set([...byManager.values()].map((own) => own[0]!.id));
  // What followed each manager's last round with a report: one statement for all of them.
  const lastReported = new Map([...byManager].map(([manager, own]) => [manager, own.find(hasReport)]));
  const followed = await followThrough(
    db,
    [...lastReported.values()].flatMap((row) => (row ? [row.id] : [])),
  );
  const followedById = new Map(followed.map((row) => [row.id, row]));

  const teams = await Promise.all(
    [...byManager.values()].map(async ([latest, ...older]) => {
      const previous = older.find(isLaunched);
      const reported = lastReported.get(latest!.manager_id);
      const after = reported && followedById.get(reported.id);
      return {
        latest: requestRow(latest!, reader),
        ...(await teamChanges(db, latest!, previous, fallbackThreshold, at.locale)),
        followThrough:
          reported && after
            ? followThroughView(
                reported,
                after,
                latest!.id,
                at,
                await focusPointsOf(db, reported.id, at, fallbackThreshold),
              )
            : null,
      };
    }),
  );
  const earlier = rows.filter((row) => !latestIds.has(row.id)).map((row) => requestRow(row, reader));
  const totals = teams.length > 1 ? await loadTotals(db, leaderEmail, fallbackThreshold, at.locale) : null;
  return { teams, earlier, totals };
}

/** The round's focus points with their latest check-backs, as the leader's report shows them, in the leader's language and on their clock. */
async function focusPointsOf(
  db: Kysely<Database>,
  roundId: string,
  at: { now: Date; timeZone: string; locale: Locale },
  fallbackThreshold: number,
) {
  const { points } = await focusPointsWithCheckBacks(db, roundId, {
    viewer: 'leader',
    today: dayOf(at.now, at.timeZone),
    fallbackThreshold,
    reader: { locale: at.locale, zone: at.timeZone },
  });
  return points;
}

async function loadTotals(
  db: Kysely<Database>,
  leaderEmail: string,
  fallbackThreshold: number,
  locale: Locale,
): Promise<Overview['totals']> {
  const [totals, statements] = await Promise.all([
    participationTotals(db, leaderEmail, fallbackThreshold),
    statementAverages(db, leaderEmail, fallbackThreshold),
  ]);
  return {
    enough: totals.teams > 1,
    teams: totals.teams,
    answered: totals.answered,
    invited: totals.invited,
    leftOut: leftOutSentence(totals.tooFew, totals.tooFewThresholds, locale),
    notClosed: totals.notClosed,
    // An average over one team is only that team's mean: it says nothing across teams.
    statements: statements
      .filter((statement) => statement.teams > 1 && statement.mean !== null)
      .map((statement) => ({
        prompt: statement.prompt,
        mean: formatMean(statement.mean!, locale),
        teams: statement.teams,
        leftOut: statementLeftOut(statement.asked - statement.teams, locale),
      })),
  };
}
