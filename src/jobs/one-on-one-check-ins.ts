// "How's that going?": CHECK_IN_DAYS after the one-on-one, the leader and the manager each get
// one short email listing the focus points they agreed, in their language, held until waking
// hours on their clock (src/jobs/recipients.ts). Exported for the job loop; safe to run from
// any number of processes.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { paths } from '../http/paths.ts';
import type { Clock } from '../lib/clock.ts';
import { claimDueCheckIns } from '../one-on-one/queries.ts';
import { listFocusPoints } from '../reports/focus-points-queries.ts';
import { findReportRound } from '../reports/queries.ts';
import { atSensibleHour } from '../rounds/sending-hours.ts';
import { queueEmailAt, recipientsOf } from './recipients.ts';

/**
 * Claims the due one-on-ones and queues their emails in one transaction: the claim and the
 * emails are committed together or not at all, so each person is asked once. Resolves with
 * the emails queued.
 */
export async function sendDueCheckIns(
  db: Kysely<Database>,
  deps: { clock: Clock; config: Pick<Config, 'BASE_URL' | 'TIME_ZONE'> },
): Promise<number> {
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    let queued = 0;
    for (const { request_id: requestId } of await claimDueCheckIns(trx, now)) {
      const round = await findReportRound(trx, requestId);
      if (!round) continue;
      const points = (await listFocusPoints(trx, requestId)).filter((point) => point.done_at === null);
      const common = {
        managerName: round.managerName,
        points: points.map((point) => point.text),
        // With nothing written down, straight to the form that adds them.
        link: points.length ? paths.reports.show(requestId) : `${paths.reports.show(requestId)}#focus-points`,
      };
      for (const { to, recipientName, otherName, locale, zone } of await recipientsOf(
        trx,
        round,
        deps.config.TIME_ZONE,
      )) {
        const data = { ...common, recipientName, otherName, locale };
        await queueEmailAt(trx, { to, name: 'how-is-it-going', data }, atSensibleHour(now, zone), deps);
        queued++;
      }
    }
    return queued;
  });
}
