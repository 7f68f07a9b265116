// The check-back's state changes, each a use case that owns its transaction and the emails it
// queues: the leader's launch, and the manager's team pasted again once the round's addresses
// were deleted. Both take the round's row lock first, so they happen one after the other and
// a double click launches once.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { dayOf, endOfDayIn } from '../lib/dates.ts';
import { leaderZone } from '../auth/users.ts';
import { checkBackCommentPrompt, checkBackPrompt } from '../domain/request-life.ts';
import { formatDateIn } from '../i18n/format.ts';
import { localeOr } from '../i18n/translate.ts';
import { listInvitations } from '../rounds/round-queries.ts';
import { openLinksAndInvite } from '../rounds/open-links.ts';
import { roundPeople, teamInvitationBasics } from '../rounds/people.ts';
import { defaultClosingDay } from './form.ts';
import {
  copyRoundTeam,
  focusPointsOfRound,
  insertCheckBack,
  insertCheckBackQuestions,
  lockReleasedRound,
  pendingTeamOf,
  replaceTeam,
  roundTeamSize,
} from './queries.ts';

export interface CheckBackDeps {
  db: Kysely<Database>;
  config: Pick<
    Config,
    | 'BASE_URL'
    | 'SESSION_SECRET'
    | 'ANONYMITY_THRESHOLD'
    | 'REMINDERS'
    | 'CHECK_BACK_DAYS'
    | 'INVITEE_RETENTION_DAYS'
    | 'INVITEE_RETENTION_MAX_DAYS'
    | 'TIME_ZONE'
  >;
  clock: Clock;
}

export type CheckBackLaunch =
  | { launched: true; checkBackId: string; invited: number }
  | {
      launched: false;
      /** nothing-due: no focus point is due that a check-back has not asked about (a second click lands here). */
      problem: 'not-released' | 'nothing-due' | 'no-team' | 'below-threshold';
    };

/**
 * Launches a check-back of the leader's released round in ONE transaction: a check-back row
 * (or the one waiting with a pasted team) opens with the threshold in force locked for good;
 * it asks one agree question per focus point due and not yet asked about, then the optional
 * comment; its team is the round's invitations that still hold an address, copied, or the
 * pasted one; links, reminder points and one invitation per team member are laid out as a
 * round's launch does (rounds/open-links.ts). The manager assesses nothing here.
 */
export async function launchCheckBack(
  deps: CheckBackDeps,
  target: { roundId: string; leaderEmail: string },
  closesAt: Date,
): Promise<CheckBackLaunch> {
  const { db, config, clock } = deps;
  const now = clock.now();
  return db.transaction().execute(async (trx): Promise<CheckBackLaunch> => {
    const round = await lockReleasedRound(trx, target.roundId);
    if (!round || round.leader_email !== target.leaderEmail) return { launched: false, problem: 'not-released' };
    // Due on the leader's clock, as the check-back page counts it.
    const today = dayOf(now, await leaderZone(trx, round.leader_email, config.TIME_ZONE));
    const points = (await focusPointsOfRound(trx, round.id)).filter((p) => !p.asked && p.follow_up_on <= today);
    if (points.length === 0) return { launched: false, problem: 'nothing-due' };

    const pending = await pendingTeamOf(trx, round.id);
    const pastedTeam = pending ? await listInvitations(trx, pending.id) : [];
    const size = pending ? pastedTeam.length : round.invitees_purged_at ? 0 : await roundTeamSize(trx, round.id);
    if (size === 0) return { launched: false, problem: 'no-team' };
    if (size < config.ANONYMITY_THRESHOLD) return { launched: false, problem: 'below-threshold' };

    const opened = {
      status: 'open' as const,
      closes_at: closesAt,
      anonymity_threshold: config.ANONYMITY_THRESHOLD,
      invited_count: size,
      launched_at: now,
      decided_at: now,
    };
    const checkBackId = pending?.id ?? (await insertCheckBack(trx, round, { status: 'open', closesAt, now }));
    await trx.updateTable('feedback_requests').set(opened).where('id', '=', checkBackId).execute();
    const team = pending ? pastedTeam : await copyRoundTeam(trx, round.id, checkBackId);

    const people = await roundPeople(trx, round.id);
    // The team is asked in the round's language: its questions, as stored, and its emails.
    const locale = localeOr(round.survey_language);
    await insertCheckBackQuestions(trx, checkBackId, [
      ...points.map((point) => ({
        kind: 'agree' as const,
        required: true,
        focusPointId: point.id,
        prompt: checkBackPrompt(people.managerName, formatDateIn(locale, point.created_at), point.text, locale),
      })),
      { kind: 'text', required: false, focusPointId: null, prompt: checkBackCommentPrompt(locale) },
    ]);
    const invitation = {
      ...teamInvitationBasics(
        people,
        { kind: 'check-back', closesAt, threshold: config.ANONYMITY_THRESHOLD, locale },
        config,
      ),
      points: points.map((point) => point.text),
    };
    await openLinksAndInvite(
      trx,
      deps,
      { requestId: checkBackId, invitations: team, launchedAt: now, closesAt },
      (link) => ({ name: 'check-back-invitation', data: { ...invitation, link } }),
    );
    return { launched: true, checkBackId, invited: size };
  });
}

/**
 * The manager's team, pasted again once the round's addresses were deleted: kept as a
 * check-back waiting for the leader's launch (status 'submitted', no questions yet), its
 * invitations replaced if the manager pastes once more before the launch.
 */
export async function saveTeam(
  deps: Pick<CheckBackDeps, 'db' | 'clock' | 'config'>,
  target: { roundId: string; managerId: string },
  addresses: readonly string[],
): Promise<'done' | 'moved-on'> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const round = await lockReleasedRound(trx, target.roundId);
    if (!round || round.manager_id !== target.managerId) return 'moved-on';
    const pending = await pendingTeamOf(trx, round.id);
    const zone = await leaderZone(trx, round.leader_email, deps.config.TIME_ZONE);
    const checkBackId =
      pending?.id ??
      (await insertCheckBack(trx, round, {
        status: 'submitted',
        // Set again by the leader at launch.
        closesAt: endOfDayIn(defaultClosingDay(now, deps.config, zone), zone),
        now,
      }));
    await replaceTeam(trx, checkBackId, addresses);
    return 'done';
  });
}
