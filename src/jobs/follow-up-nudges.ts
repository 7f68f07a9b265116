// On a focus point's follow-up date, at 09:00 on the round's clock, the leader and the manager
// each get a short "how is it going?" email. Exported for the job loop; safe to run from any number of processes.
import { paths } from '../http/paths.ts';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { queueEmail } from '../email/outbox.ts';
import type { Clock } from '../lib/clock.ts';
import { formatDate } from '../lib/dates.ts';
import { claimDueFocusPoints, focusPointsDueBy } from '../reports/focus-points-queries.ts';
import { dueThisMorning, latestDayAnywhere } from '../rounds/sending-hours.ts';
import { findReportRound, leaderAndManager } from '../reports/queries.ts';
import { allows } from '../domain/request-life.ts';

/**
 * Claims the due points and queues their nudges in one transaction: the claim and the
 * emails are committed together or not at all, so each point is nudged exactly once. Points
 * of one round due together share one email per person. Resolves with the emails queued.
 */
export async function sendDueFollowUpNudges(
  db: Kysely<Database>,
  deps: { clock: Clock; config: Pick<Config, 'BASE_URL' | 'TIME_ZONE'> },
): Promise<number> {
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    // At 09:00 on the follow-up date on the round's clock (its leader's), for both people.
    const due = dueThisMorning(await focusPointsDueBy(trx, latestDayAnywhere(now)), now, deps.config.TIME_ZONE);
    const claimed = await claimDueFocusPoints(
      trx,
      due.map((point) => point.id),
      now,
    );
    const byRound = Map.groupBy(claimed, (point) => point.request_id);
    let queued = 0;
    for (const [requestId, points] of byRound) {
      const round = await findReportRound(trx, requestId);
      if (!round) continue;
      const common = {
        managerName: round.managerName,
        points: points.map((point) => point.text),
        followUpOn: formatDate(points[0]!.follow_up_on),
        link: paths.reports.show(requestId),
        // From the follow-up date a check-back is offered (src/check-back/), on a released round.
        checkBackLink: allows.checkBack(round) ? paths.reports.checkBack(requestId) : null,
      };
      for (const { to, recipientName, otherName } of leaderAndManager(round)) {
        await queueEmail(trx, { to, name: 'follow-up-nudge', data: { ...common, recipientName, otherName } }, deps);
        queued++;
      }
    }
    return queued;
  });
}
