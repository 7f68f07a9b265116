// On the next round's date, the manager gets an email whose link starts the follow-up round
// in one step: at 09:00 on their clock, in their language. Exported for the job loop; safe to
// run from any number of processes.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { paths } from '../http/paths.ts';
import type { Clock } from '../lib/clock.ts';
import { zoneOf } from '../auth/users.ts';
import { formatDateIn } from '../i18n/format.ts';
import { personLocale } from '../i18n/recipients.ts';
import { claimDueNextRounds, nextRoundsDueBy } from '../reports/next-round-queries.ts';
import { dueThisMorning, latestDayAnywhere } from '../rounds/sending-hours.ts';
import { findReportRound } from '../reports/queries.ts';
import { queueEmailAt, sendingTime } from './recipients.ts';

/** The manager's language (else the leader's) and zone (else TIME_ZONE). */
async function managerReading(db: Kysely<Database>, round: { manager_id: string; leader_email: string }) {
  const [manager, leader] = await Promise.all([
    db
      .selectFrom('users')
      .select(['language', 'browser_language', 'time_zone'])
      .where('id', '=', round.manager_id)
      .executeTakeFirst(),
    db
      .selectFrom('users')
      .select(['language', 'browser_language'])
      .where('email', '=', round.leader_email)
      .executeTakeFirst(),
  ]);
  return { locale: personLocale(manager, personLocale(leader)), timeZone: manager?.time_zone ?? null };
}

/**
 * Claims the released requests whose next round is due (09:00 on that day on the manager's
 * clock) and queues each manager's email in the same transaction: each date is emailed
 * exactly once, and waits in the outbox if the morning there found the manager asleep.
 * Resolves with the emails queued.
 */
export async function sendDueNextRoundEmails(
  db: Kysely<Database>,
  deps: { clock: Clock; config: Pick<Config, 'BASE_URL' | 'TIME_ZONE'> },
): Promise<number> {
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const due = dueThisMorning(await nextRoundsDueBy(trx, latestDayAnywhere(now)), now, deps.config.TIME_ZONE);
    const claimed = await claimDueNextRounds(
      trx,
      due.map((round) => round.id),
      now,
    );
    for (const { id, next_round_on } of claimed) {
      const round = await findReportRound(trx, id);
      if (!round) continue;
      const { locale, timeZone } = await managerReading(trx, round);
      const zone = zoneOf({ timeZone }, deps.config.TIME_ZONE);
      await queueEmailAt(
        trx,
        {
          to: round.managerEmail,
          name: 'next-round-due',
          data: {
            managerName: round.managerName,
            leaderName: round.leaderName,
            closedOn: formatDateIn(locale, round.closed_at ?? round.released_at ?? now, zone),
            nextRoundOn: formatDateIn(locale, next_round_on!),
            link: paths.reports.nextRound(id),
            locale,
          },
        },
        sendingTime(next_round_on!, zone, now),
        deps,
      );
    }
    return claimed.length;
  });
}
