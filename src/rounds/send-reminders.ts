// Sends due reminder points, each exactly once even with several job runners: a runner
// claims one reminder row with FOR UPDATE SKIP LOCKED, and in the same transaction queues an
// email per unused link and marks the row sent. A crash rolls all of it back for a retry.
import { isCheckBack, thresholdInForce } from '../domain/request-life.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../config.ts';
import type { Database, RequestKind } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { localeOr } from '../i18n/translate.ts';
import { queueEmails } from '../email/outbox.ts';
import { invitationsWithUnusedLinks } from './round-queries.ts';
import { roundPeople, teamEmailBasics } from './people.ts';
import { invitationLink, linkSecretOf } from './survey-links.ts';

export interface ReminderDeps {
  config: Pick<Config, 'BASE_URL' | 'SESSION_SECRET' | 'ANONYMITY_THRESHOLD' | 'TIME_ZONE'>;
  clock: Clock;
}

/** Reminders of rounds that are open and not yet at their closing time, oldest first. */
function claimDueReminder(trx: Transaction<Database>, now: Date) {
  return trx
    .selectFrom('reminders as r')
    .innerJoin('feedback_requests as f', 'f.id', 'r.request_id')
    .select(['r.id', 'r.request_id'])
    .where('r.sent_at', 'is', null)
    .where('r.due_at', '<=', now)
    .where('f.status', '=', 'open')
    .where('f.closes_at', '>', now)
    .orderBy('r.due_at')
    .limit(1)
    .forUpdate('r')
    .skipLocked()
    .executeTakeFirst();
}

/**
 * Locks the round against closing while its reminders are queued. A close that committed
 * first makes the row fail the re-check, so no reminder goes out after a close.
 */
export function lockOpenRound(trx: Transaction<Database>, requestId: string, now: Date) {
  return trx
    .selectFrom('feedback_requests')
    .select(['closes_at', 'anonymity_threshold', 'kind', 'survey_language'])
    .where('id', '=', requestId)
    .where('status', '=', 'open')
    .where('closes_at', '>', now)
    .forShare()
    .executeTakeFirst();
}

/**
 * Queues the reminder email to every invitee whose link is still unused, in the caller's
 * transaction (which holds the round by lockOpenRound). Resolves with how many it queued,
 * for the caller to act on, never to store.
 */
export async function queueReminderEmails(
  trx: Transaction<Database>,
  requestId: string,
  round: { closes_at: Date; anonymity_threshold: number | null; kind: RequestKind; survey_language: string },
  deps: ReminderDeps,
): Promise<number> {
  const secret = linkSecretOf(deps.config);
  const people = await roundPeople(trx, requestId);
  const unused = await invitationsWithUnusedLinks(trx, requestId, secret);
  const data = teamEmailBasics(
    people,
    {
      closesAt: round.closes_at,
      threshold: thresholdInForce(round, deps.config.ANONYMITY_THRESHOLD),
      locale: localeOr(round.survey_language),
    },
    deps.config.TIME_ZONE,
  );
  const link = (invitation: { id: string }) => invitationLink(secret, invitation.id).path;
  // A check-back reminds in its own words (what it asks about), through the same machinery.
  return queueEmails(
    trx,
    unused.map((invitation) =>
      isCheckBack(round)
        ? { to: invitation.email!, name: 'check-back-reminder' as const, data: { ...data, link: link(invitation) } }
        : { to: invitation.email!, name: 'reminder' as const, data: { ...data, link: link(invitation) } },
    ),
    deps,
  );
}

/** Sends one due reminder point if there is one; resolves with whether it did. */
async function sendOneReminder(db: Kysely<Database>, deps: ReminderDeps): Promise<boolean> {
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const reminder = await claimDueReminder(trx, now);
    if (!reminder) return false;
    const round = await lockOpenRound(trx, reminder.request_id, now);
    if (!round) return false;
    await queueReminderEmails(trx, reminder.request_id, round, deps);
    // Only that it was sent: a count beside the time would say how many had answered by then.
    await trx.updateTable('reminders').set({ sent_at: now }).where('id', '=', reminder.id).execute();
    return true;
  });
}

/** Sends every reminder point that is due; resolves with how many points it sent. */
export async function sendDueReminders(db: Kysely<Database>, deps: ReminderDeps): Promise<number> {
  let sent = 0;
  while (await sendOneReminder(db, deps)) sent++;
  return sent;
}
