// The leader's state changes, each one use case that owns its transaction and the emails it
// queues: save the details, remove an invitee, launch, decline, extend, remind now, close early. Each
// answers what happened; when the request has moved on meanwhile (another tab, the manager,
// the closing job) it says so, and changes nothing.
import { paths } from '../http/paths.ts';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { formatDateTimeIn } from '../i18n/format.ts';
import { personLocale } from '../i18n/recipients.ts';
import { localeOr, type Locale } from '../i18n/translate.ts';
import { SOURCE_LOCALE } from '../i18n/catalogues.ts';
import { queueEmail } from '../email/outbox.ts';
import { listInvitations } from '../rounds/round-queries.ts';
import { openLinksAndInvite } from '../rounds/open-links.ts';
import { roundPeople, teamInvitationBasics } from '../rounds/people.ts';
import { zoneOf } from '../auth/users.ts';
import { closeRound, vacuumAfterClose } from '../rounds/close-round.ts';
import { queueReminderEmails } from '../rounds/send-reminders.ts';
import { nextReminderFrom } from '../domain/request-life.ts';
import { addressesToCheck } from './addresses-to-check.ts';
import {
  declineSubmitted,
  deleteInvitation,
  insertSentReminder,
  lastReminderSent,
  lockOpenRoundOfLeader,
  lockExtendableRound,
  lockSubmittedRequest,
  peopleForCheck,
  setClosingDate,
  shiftUnsentReminders,
  updateRequestDetails,
} from './queries.ts';

export interface LeaderActionDeps {
  db: Kysely<Database>;
  config: Pick<
    Config,
    | 'BASE_URL'
    | 'SESSION_SECRET'
    | 'ANONYMITY_THRESHOLD'
    | 'REMINDERS'
    | 'INVITEE_RETENTION_DAYS'
    | 'INVITEE_RETENTION_MAX_DAYS'
    | 'TIME_ZONE'
  >;
  clock: Clock;
}

/** Which request, and the leader asking: every action is scoped to requests they lead. */
export interface LeaderTarget {
  requestId: string;
  leaderEmail: string;
}

/** Changed, or the request had moved on and nothing was changed. */
export type Outcome = 'done' | 'moved-on';

export type LaunchResult =
  | { launched: true; invited: number }
  | { launched: false; problem: 'not-waiting' | 'closing-date-passed' | 'below-threshold' | 'addresses-unchecked' };

/**
 * Launching: in ONE transaction the request opens (a conditional update, so a double click
 * launches once), once the leader confirmed the addresses marked for checking if there are
 * any (addresses-to-check.ts); the anonymity threshold in force is recorded for good, every
 * invitation's link gets its key in survey_links and the reminder points are laid out
 * (rounds/open-links.ts), every invitee's email is queued and the manager is told. Everything is written in multi-row statements, so
 * even 1,000 invitees return at once; the email worker sends afterwards.
 */
export async function launchRequest(
  deps: LeaderActionDeps,
  ids: LeaderTarget,
  /** `locale`: the leader's, for the manager's emails when the manager has none of their own. */
  opts: { addressesChecked?: boolean; locale?: Locale } = {},
): Promise<LaunchResult> {
  const { db, config, clock } = deps;
  const now = clock.now();
  return db.transaction().execute(async (trx): Promise<LaunchResult> => {
    // The row lock makes a second click wait for the first, then find the request open.
    const request = await lockSubmittedRequest(trx, ids.requestId, ids.leaderEmail);
    if (!request) return { launched: false, problem: 'not-waiting' };
    if (request.closes_at <= now) return { launched: false, problem: 'closing-date-passed' };
    const invitations = await listInvitations(trx, request.id);
    if (invitations.length < config.ANONYMITY_THRESHOLD) return { launched: false, problem: 'below-threshold' };
    const emails = invitations.map((invitation) => invitation.email!);
    if (!opts.addressesChecked && addressesToCheck(emails, await peopleForCheck(trx, request.id), SOURCE_LOCALE).length)
      return { launched: false, problem: 'addresses-unchecked' };

    const opened = await trx
      .updateTable('feedback_requests')
      .set({
        status: 'open',
        anonymity_threshold: config.ANONYMITY_THRESHOLD,
        invited_count: invitations.length,
        launched_at: now,
        decided_at: now,
      })
      .where('id', '=', request.id)
      .where('status', '=', 'submitted')
      .executeTakeFirst();
    if (opened.numUpdatedRows === 0n) return { launched: false, problem: 'not-waiting' };

    const people = await roundPeople(trx, request.id);
    // The team reads the closing time on the leader's clock (and in UTC), in the round's
    // language; the manager on theirs, in their own language (else the leader's).
    const managerLocale = personLocale(people.managerLanguages, opts.locale);
    const managerZone = zoneOf({ timeZone: people.managerZone }, config.TIME_ZONE);
    const closesOn = formatDateTimeIn(managerLocale, request.closes_at, managerZone);
    const locale = localeOr(request.survey_language);
    const invitation = {
      ...teamInvitationBasics(
        people,
        { kind: 'round', closesAt: request.closes_at, threshold: config.ANONYMITY_THRESHOLD, locale },
        config,
      ),
      teamNote: request.team_note,
    };
    await openLinksAndInvite(
      trx,
      deps,
      { requestId: request.id, invitations, launchedAt: now, closesAt: request.closes_at },
      (link) => ({ name: 'invitation', data: { ...invitation, link } }),
    );
    await queueEmail(
      trx,
      {
        to: people.managerEmail,
        name: 'request-launched',
        data: {
          managerName: people.managerName,
          leaderName: people.leaderName,
          closesOn,
          invitedCount: invitations.length,
          link: paths.requests.show(request.id),
          locale: managerLocale,
        },
      },
      deps,
    );
    await queueEmail(
      trx,
      {
        to: people.managerEmail,
        name: 'self-assessment-invitation',
        data: {
          managerName: people.managerName,
          leaderName: people.leaderName,
          closesOn,
          link: paths.requests.selfAssessment(request.id),
          locale: managerLocale,
        },
      },
      deps,
    );
    return { launched: true, invited: invitations.length };
  });
}

/** The closing date and the note to the team, while the request waits for a decision. */
export async function saveRequestDetails(
  deps: Pick<LeaderActionDeps, 'db'>,
  target: LeaderTarget,
  details: { closesAt: Date; teamNote: string; surveyLanguage: string },
): Promise<Outcome> {
  return (await updateRequestDetails(deps.db, target, details)) ? 'done' : 'moved-on';
}

/** Takes one person off the team while the request waits; 'not-found' if they were not on it. */
export async function removeInvitee(
  deps: Pick<LeaderActionDeps, 'db'>,
  target: LeaderTarget,
  invitationId: string,
): Promise<Outcome | 'not-found'> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockSubmittedRequest(trx, target.requestId, target.leaderEmail))) return 'moved-on';
    return (await deleteInvitation(trx, target.requestId, invitationId)) ? 'done' : 'not-found';
  });
}

/** Declines with a reason, and emails it to the manager, in one transaction. */
export async function declineRequest(
  deps: LeaderActionDeps,
  target: LeaderTarget,
  reason: string,
  /** The leader's language: the manager's email's when the manager has none of their own. */
  leaderLocale?: Locale,
): Promise<Outcome> {
  const { db, clock } = deps;
  return db.transaction().execute(async (trx) => {
    if (!(await declineSubmitted(trx, target, reason, clock.now()))) return 'moved-on';
    const people = await roundPeople(trx, target.requestId);
    const locale = personLocale(people.managerLanguages, leaderLocale);
    await queueEmail(
      trx,
      {
        to: people.managerEmail,
        name: 'request-declined',
        data: {
          managerName: people.managerName,
          leaderName: people.leaderName,
          reason,
          link: paths.requests.show(target.requestId),
          locale,
        },
      },
      deps,
    );
    return 'done';
  });
}

/**
 * Moves an open round's closing date later, once. Unsent reminders keep their distance to
 * the close (a "one day before" reminder stays one day before), so they move by the same
 * amount; reminders already sent stay sent. A round whose time is up is the closing job's.
 */
export async function extendRound(deps: LeaderActionDeps, target: LeaderTarget, closesAt: Date): Promise<Outcome> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const round = await lockExtendableRound(trx, target, { now, closesAt });
    if (!round) return 'moved-on';
    await setClosingDate(trx, target.requestId, closesAt);
    await shiftUnsentReminders(trx, target.requestId, closesAt.getTime() - round.closes_at.getTime());
    return 'done';
  });
}

export type RemindOutcome =
  | { outcome: 'sent' }
  /** A reminder went out within the last day: the next may go at `from`. */
  | { outcome: 'too-soon'; from: Date }
  /** Every link is spent: there is nobody to remind, and nothing is recorded. */
  | { outcome: 'everyone-answered' }
  | { outcome: 'moved-on' };

/**
 * "Send a reminder now": the reminder email to every invitee whose link is unused, at most
 * once a day (nextReminderFrom), recorded as a reminder point sent now, exactly as a
 * scheduled one is (when, never to whom nor to how many). The round's row stays locked until
 * the emails are queued, so two clicks send once and a close waits for it.
 */
export async function remindNow(deps: LeaderActionDeps, target: LeaderTarget): Promise<RemindOutcome> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const round = await lockOpenRoundOfLeader(trx, target, now);
    if (!round) return { outcome: 'moved-on' };
    const from = nextReminderFrom(await lastReminderSent(trx, target.requestId), now);
    if (from > now) return { outcome: 'too-soon', from };
    if ((await queueReminderEmails(trx, target.requestId, round, deps)) === 0) return { outcome: 'everyone-answered' };
    await insertSentReminder(trx, target.requestId, now);
    return { outcome: 'sent' };
  });
}

/**
 * Closes the round now (closeRound owns the transaction and the leader's email), then
 * vacuums what the close left dead (links, sealed rows), best effort: the next close vacuums again.
 */
export async function closeRoundEarly(
  deps: LeaderActionDeps & { onVacuumError: (error: Error) => void },
  target: LeaderTarget,
): Promise<Outcome> {
  // Only the leader's own open round: the loader checked who leads it, closeRound that it is open.
  const closed = await closeRound(deps.db, target.requestId, deps);
  if (closed) await vacuumAfterClose(deps.db).catch(deps.onVacuumError);
  return closed ? 'done' : 'moved-on';
}
