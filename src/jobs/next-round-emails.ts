// On the next round's date, the manager gets an email whose link starts the follow-up round
// in one step. Exported for the job loop; safe to run from any number of processes.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { queueEmail } from '../email/outbox.ts';
import { paths } from '../http/paths.ts';
import type { Clock } from '../lib/clock.ts';
import { formatDate } from '../lib/dates.ts';
import { claimDueNextRounds, nextRoundsDueBy } from '../reports/next-round-queries.ts';
import { dueThisMorning, latestDayAnywhere } from '../rounds/sending-hours.ts';
import { findReportRound } from '../reports/queries.ts';

/**
 * Claims the released requests whose next round is due (09:00 on that day on the manager's
 * clock) and queues each manager's email in the same transaction: each date is emailed
 * exactly once. Resolves with the emails queued.
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
      await queueEmail(
        trx,
        {
          to: round.managerEmail,
          name: 'next-round-due',
          data: {
            managerName: round.managerName,
            leaderName: round.leaderName,
            closedOn: formatDate(round.closed_at ?? round.released_at ?? now),
            nextRoundOn: formatDate(next_round_on!),
            link: paths.reports.nextRound(id),
          },
        },
        deps,
      );
    }
    return claimed.length;
  });
}
