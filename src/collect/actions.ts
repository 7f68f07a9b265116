// Launching a request: in ONE transaction the request opens (a conditional update, so a
// double click launches once), the anonymity threshold in force is recorded for good, every
// invitation gets its link's hash and a ballot, every invitee's email is queued, the
// reminder points are laid out and the manager is told. Everything is written in multi-row
// statements, so even 1,000 invitees return at once; the email worker sends afterwards.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { formatDate } from '../lib/dates.ts';
import { queueEmail, queueEmails } from '../email/outbox.ts';
import { insertBallots, insertReminders, listInvitations, setTokenHashes } from '../rounds/round-queries.ts';
import { reminderTimes } from '../rounds/reminder-schedule.ts';
import { roundPeople } from '../rounds/people.ts';
import { invitationLink, linkSecretOf } from '../rounds/survey-links.ts';
import { lockSubmittedRequest } from './queries.ts';

export type LaunchResult =
  | { launched: true; invited: number }
  | { launched: false; problem: 'not-waiting' | 'closing-date-passed' | 'below-threshold' };

export interface LaunchDeps {
  config: Pick<Config, 'BASE_URL' | 'SESSION_SECRET' | 'ANONYMITY_THRESHOLD' | 'REMINDERS'>;
  clock: Clock;
}

export async function launchRequest(
  db: Kysely<Database>,
  ids: { requestId: string; leaderEmail: string },
  deps: LaunchDeps,
): Promise<LaunchResult> {
  const { config, clock } = deps;
  const secret = linkSecretOf(config);
  const now = clock.now();
  return db.transaction().execute(async (trx): Promise<LaunchResult> => {
    // The row lock makes a second click wait for the first, then find the request open.
    const request = await lockSubmittedRequest(trx, ids.requestId, ids.leaderEmail);
    if (!request) return { launched: false, problem: 'not-waiting' };
    if (request.closes_at <= now) return { launched: false, problem: 'closing-date-passed' };
    const invitations = await listInvitations(trx, request.id);
    if (invitations.length < config.ANONYMITY_THRESHOLD) return { launched: false, problem: 'below-threshold' };

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

    const links = invitations.map((invitation) => invitationLink(secret, invitation.id));
    await setTokenHashes(trx, links);
    await insertBallots(
      trx,
      request.id,
      links.map((link) => link.tokenHash),
    );
    await insertReminders(
      trx,
      request.id,
      reminderTimes(config.REMINDERS, { launchedAt: now, closesAt: request.closes_at, now }),
    );

    const people = await roundPeople(trx, request.id);
    const closesOn = formatDate(request.closes_at);
    const invitation = {
      managerName: people.managerName,
      leaderName: people.leaderName,
      closesOn,
      teamNote: request.team_note,
      threshold: config.ANONYMITY_THRESHOLD,
    };
    await queueEmails(
      trx,
      invitations.map((row, index) => ({
        to: row.email!,
        name: 'invitation' as const,
        data: { ...invitation, link: links[index]!.path },
      })),
      deps,
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
          link: `/requests/${request.id}`,
        },
      },
      deps,
    );
    return { launched: true, invited: invitations.length };
  });
}
