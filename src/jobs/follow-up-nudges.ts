// On a focus point's follow-up date the leader and the manager each get a short "how is it
// going?" email, at 09:00 on their own clock (src/jobs/recipients.ts), in their own language.
// Exported for the job loop; safe to run from any number of processes.
import { paths } from '../http/paths.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { formatDateIn } from '../i18n/format.ts';
import { claimDueFocusPoints } from '../reports/focus-points-queries.ts';
import { latestDayAnywhere } from '../rounds/sending-hours.ts';
import { findReportRound } from '../reports/queries.ts';
import { allows } from '../domain/request-life.ts';
import { zoneOf } from '../auth/users.ts';
import { queueEmailAt, recipientsOf, sendingTime } from './recipients.ts';

/**
 * The open, never nudged focus points whose day has reached 09:00 for one of the two people:
 * on the clock of each (their own zone, else the round's: its leader's, else `deploymentZone`).
 */
async function focusPointsDue(trx: Transaction<Database>, now: Date, deploymentZone: string) {
  const rows = await trx
    .selectFrom('focus_points as p')
    .innerJoin('feedback_requests as r', 'r.id', 'p.request_id')
    .innerJoin('users as manager', 'manager.id', 'r.manager_id')
    .leftJoin('users as leader', 'leader.email', 'r.leader_email')
    .select(['p.id', 'p.follow_up_on as day', 'leader.time_zone as leaderZone', 'manager.time_zone as managerZone'])
    .where('p.nudged_at', 'is', null)
    .where('p.done_at', 'is', null)
    .where('p.follow_up_on', '<=', latestDayAnywhere(now))
    .execute();
  return rows.filter((row) => {
    const roundZone = zoneOf({ timeZone: row.leaderZone }, deploymentZone);
    const managerZone = zoneOf({ timeZone: row.managerZone }, roundZone);
    return [roundZone, managerZone].some((zone) => sendingTime(row.day, zone, now) <= now);
  });
}

/**
 * Claims the due points and queues their nudges in one transaction: the claim and the
 * emails are committed together or not at all, so each point is nudged exactly once. Points
 * of one round due together share one email per person; each waits in the outbox for 09:00
 * on its reader's clock. Resolves with the emails queued.
 */
export async function sendDueFollowUpNudges(
  db: Kysely<Database>,
  deps: { clock: Clock; config: Pick<Config, 'BASE_URL' | 'TIME_ZONE'> },
): Promise<number> {
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    const due = await focusPointsDue(trx, now, deps.config.TIME_ZONE);
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
      const day = points[0]!.follow_up_on;
      const common = {
        managerName: round.managerName,
        points: points.map((point) => point.text),
        link: paths.reports.show(requestId),
        // From the follow-up date a check-back is offered (src/check-back/), on a released round.
        checkBackLink: allows.checkBack(round) ? paths.reports.checkBack(requestId) : null,
      };
      for (const { to, recipientName, otherName, locale, zone } of await recipientsOf(
        trx,
        round,
        deps.config.TIME_ZONE,
      )) {
        const data = { ...common, recipientName, otherName, locale, followUpOn: formatDateIn(locale, day) };
        await queueEmailAt(trx, { to, name: 'follow-up-nudge', data }, sendingTime(day, zone, now), deps);
        queued++;
      }
    }
    return queued;
  });
}
