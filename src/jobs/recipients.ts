// The leader and the manager as the jobs write to them (issue 21): each in their own language
// (personLocale: their choice, else their browser's at sign-in, else the other person's), and
// at a sensible hour on their own clock. One who set no zone of their own reads on the round's
// clock (its leader's, else TIME_ZONE), as the team does.
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { queueEmail } from '../email/outbox.ts';
import type { EmailMessage } from '../email/definitions.ts';
import type { Clock } from '../lib/clock.ts';
import { personLocale, type LanguageColumns } from '../i18n/recipients.ts';
import type { Locale } from '../i18n/translate.ts';
import { instantOf } from '../lib/dates.ts';
import { SENDING_HOURS, atSensibleHour } from '../rounds/sending-hours.ts';
import { leaderAndManager, type ReportRound } from '../reports/queries.ts';
import { zoneOf } from '../auth/users.ts';

type Db = Kysely<Database> | Transaction<Database>;

interface PersonRow extends LanguageColumns {
  email: string;
  time_zone: string | null;
}

export interface Recipient {
  role: 'leader' | 'manager';
  to: string;
  recipientName: string;
  otherName: string;
  locale: Locale;
  /** The clock they read on, and are written to by. */
  zone: string;
}

const personOf = (rows: PersonRow[], email: string) => rows.find((row) => row.email === email);

/** The round's leader and manager, each with their language and zone. */
export async function recipientsOf(
  db: Db,
  round: Pick<ReportRound, 'leader_email' | 'leaderName' | 'managerEmail' | 'managerName'>,
  deploymentZone: string,
): Promise<Recipient[]> {
  const people = leaderAndManager(round);
  const rows = await db
    .selectFrom('users')
    .select(['email', 'language', 'browser_language', 'time_zone'])
    .where(
      'email',
      'in',
      people.map((person) => person.to),
    )
    .execute();
  const leader = personOf(rows, round.leader_email);
  const roundZone = zoneOf({ timeZone: leader?.time_zone }, deploymentZone);
  return people.map((person) => {
    const own = personOf(rows, person.to);
    const other = personOf(rows, person.role === 'leader' ? round.managerEmail : round.leader_email);
    return {
      ...person,
      locale: personLocale(own, personLocale(other)),
      zone: zoneOf({ timeZone: own?.time_zone }, roundZone),
    };
  });
}

/** When an email due on `day` (09:00 there) reaches someone in `zone`: then, or later in waking hours. */
export const sendingTime = (day: string, zone: string, now: Date): Date => {
  const morning = instantOf(day, SENDING_HOURS.sendAt, zone);
  return atSensibleHour(morning > now ? morning : now, zone);
};

/** Queues the email, held in the outbox until `notBefore` if that is still to come. */
export async function queueEmailAt(
  db: Db,
  email: EmailMessage,
  notBefore: Date,
  deps: { config: Pick<Config, 'BASE_URL'>; clock: Clock },
): Promise<void> {
  const { id } = await queueEmail(db, email, deps);
  if (notBefore > deps.clock.now())
    await db.updateTable('email_outbox').set({ next_attempt_at: notBefore }).where('id', '=', id).execute();
}
