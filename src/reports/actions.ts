// The state changes on a report, each one use case that owns its transaction and the emails
// it queues: release, hide or show a comment, save the leader's notes, add and finish focus
// points, start the follow-up round. The routes check who may (context.ts) before calling.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { queueEmail } from '../email/outbox.ts';
import { paths } from '../http/paths.ts';
import { releaseRound as markReleased, saveLeaderNotes, setCommentHidden, type ReportRound } from './queries.ts';
import { addFocusPoint, countFocusPointsLocked, markFocusPointDone } from './focus-points-queries.ts';
import { FOCUS_POINTS_LIMITS } from './forms.ts';
import { createFollowUpRound, findFollowUpDraft } from './follow-up-round.ts';
import { saveNextRoundDate } from './next-round-queries.ts';
import { emailLocaleOf } from '../i18n/recipients.ts';
import type { Locale } from '../i18n/translate.ts';

export interface ReportActionDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'BASE_URL' | 'TIME_ZONE'>;
  clock: Clock;
}

/**
 * closed → released, with the next round's date (or none) and the manager's email, in one
 * transaction: a second click (or a second process) finds the round released already and
 * sends nothing. The email is in the manager's language, else in the leader's (`leaderLocale`).
 */
export async function releaseReport(
  deps: ReportActionDeps,
  round: Pick<ReportRound, 'id' | 'managerEmail' | 'managerName' | 'leaderName'>,
  nextRoundOn: string | null,
  leaderLocale: Locale,
): Promise<'done' | 'moved-on'> {
  const { db, clock } = deps;
  return db.transaction().execute(async (trx) => {
    if (!(await markReleased(trx, round.id, clock.now(), nextRoundOn))) return 'moved-on';
    const locale = await emailLocaleOf(trx, round.managerEmail, leaderLocale);
    const link = paths.reports.show(round.id);
    await queueEmail(
      trx,
      {
        to: round.managerEmail,
        name: 'report-released',
        data: { managerName: round.managerName, leaderName: round.leaderName, link, locale },
      },
      deps,
    );
    return 'done';
  });
}

/** Hides a comment from the manager (or shows it again); 'not-found' if it is no comment of this round. */
export async function setCommentVisibility(
  deps: Pick<ReportActionDeps, 'db'>,
  roundId: string,
  answerId: string,
  hidden: boolean,
): Promise<'done' | 'not-found'> {
  return (await setCommentHidden(deps.db, roundId, answerId, hidden)) ? 'done' : 'not-found';
}

export async function saveNotes(deps: Pick<ReportActionDeps, 'db'>, roundId: string, notes: string): Promise<void> {
  await saveLeaderNotes(deps.db, roundId, notes);
}

/** Adds a focus point, unless the report holds as many as it may (FOCUS_POINTS_LIMITS): then which limit. */
export async function addAgreedFocusPoint(
  deps: Pick<ReportActionDeps, 'db' | 'clock'>,
  input: { roundId: string; text: string; followUpOn: string; createdBy: string },
): Promise<'added' | keyof typeof FOCUS_POINTS_LIMITS> {
  return deps.db.transaction().execute(async (trx) => {
    const held = await countFocusPointsLocked(trx, input.roundId);
    if (held.all >= FOCUS_POINTS_LIMITS.all) return 'all';
    if (held.open >= FOCUS_POINTS_LIMITS.open) return 'open';
    await addFocusPoint(trx, {
      requestId: input.roundId,
      text: input.text,
      followUpOn: input.followUpOn,
      createdBy: input.createdBy,
      now: deps.clock.now(),
    });
    return 'added';
  });
}

/**
 * Sets, moves or clears the next round's date of a released report; a new date gets its own
 * email on the day (next-round-queries.ts).
 */
export async function setNextRoundDate(
  deps: Pick<ReportActionDeps, 'db'>,
  roundId: string,
  day: string | null,
): Promise<void> {
  await saveNextRoundDate(deps.db, roundId, day);
}

/** A second click, or a point of another round, changes nothing. */
export async function finishFocusPoint(
  deps: Pick<ReportActionDeps, 'db' | 'clock'>,
  roundId: string,
  pointId: string,
): Promise<void> {
  await markFocusPointDone(deps.db, roundId, pointId, deps.clock.now());
}

/** The follow-up draft of this round: the one started already, or a new one. */
export async function startFollowUpRound(
  deps: Pick<ReportActionDeps, 'db' | 'clock' | 'config'>,
  round: ReportRound,
): Promise<{ id: string; teamPurged: boolean }> {
  return deps.db.transaction().execute(async (trx) => {
    const existing = await findFollowUpDraft(trx, round.id);
    if (existing) return { id: existing.id, teamPurged: round.invitees_purged_at !== null };
    return createFollowUpRound(trx, round, deps.clock.now(), deps.config.TIME_ZONE);
  });
}
