// What every launch lays out in its transaction, a round's (collect/actions.ts) or a
// check-back's (check-back/actions.ts): one unspent survey link per invitation, keyed by the
// hash of its token, and the reminder points before the close. The caller queues the emails
// that carry the links, with the template of its kind.
import type { Transaction } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { insertReminders, insertSurveyLinks } from './round-queries.ts';
import { reminderTimes } from './reminder-schedule.ts';
import { roundZone } from './people.ts';
import { invitationLink, linkSecretOf, type InvitationLink } from './survey-links.ts';

/** Resolves with each invitation's link, in the order of `invitations`. */
export async function openSurveyLinks(
  trx: Transaction<Database>,
  config: Pick<Config, 'SESSION_SECRET' | 'REMINDERS' | 'TIME_ZONE'>,
  round: { requestId: string; invitations: ReadonlyArray<{ id: string }>; launchedAt: Date; closesAt: Date },
): Promise<InvitationLink[]> {
  const secret = linkSecretOf(config);
  const links = round.invitations.map((invitation) => invitationLink(secret, invitation.id));
  await insertSurveyLinks(
    trx,
    round.requestId,
    links.map((link) => link.tokenHash),
  );
  const { launchedAt, closesAt } = round;
  const zone = await roundZone(trx, round.requestId, config.TIME_ZONE);
  await insertReminders(
    trx,
    round.requestId,
    reminderTimes(config.REMINDERS, { launchedAt, closesAt, now: launchedAt, zone }),
  );
  return links;
}
