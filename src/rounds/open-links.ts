// What every launch lays out in its transaction, a round's (collect/actions.ts) or a
// check-back's (check-back/actions.ts): one unspent survey link per invitation, keyed by the
// hash of its token, the reminder points before the close, one email per invitation carrying
// its link, with the template of its kind, and the partition its sealed responses go to.
import type { Transaction } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import type { EmailMessage } from '../email/definitions.ts';
import { queueEmails } from '../email/outbox.ts';
import { insertReminders, insertSurveyLinks } from './round-queries.ts';
import { reminderTimes } from './reminder-schedule.ts';
import { createSealedPartition } from './sealed-partitions.ts';
import { roundZone } from './people.ts';
import { invitationLink, linkSecretOf, type InvitationLink } from './survey-links.ts';

/** An email before its address: its name and data still paired, as in EmailMessage. */
type Unaddressed<M = EmailMessage> = M extends unknown ? Omit<M, 'to'> : never;

/** Opens the links and queues each invitation's email, `emailWith` its own link. */
export async function openLinksAndInvite(
  trx: Transaction<Database>,
  deps: { config: Pick<Config, 'SESSION_SECRET' | 'REMINDERS' | 'TIME_ZONE' | 'BASE_URL'>; clock: Clock },
  round: {
    requestId: string;
    invitations: ReadonlyArray<{ id: string; email: string | null }>;
    launchedAt: Date;
    closesAt: Date;
  },
  emailWith: (link: string) => Unaddressed,
): Promise<void> {
  // Its submissions' sealed rows go to a partition of their own (sealed-partitions.ts).
  await createSealedPartition(trx, round.requestId);
  const links = await openSurveyLinks(trx, deps.config, round);
  const emails = round.invitations.map(
    (row, index) => ({ ...emailWith(links[index]!.path), to: row.email! }) as EmailMessage,
  );
  await queueEmails(trx, emails, deps);
}

/** Resolves with each invitation's link, in the order of `invitations`. */
async function openSurveyLinks(
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
