// Closing a round, by the job at its closing time or early by its leader. In one
// transaction: the conditional update open → closed (so it happens once, whoever gets there
// first); the round's survey links deleted (their links stop working, and not even the secret
// pairs a link with a row afterwards); the sealed rows opened and their answers written out
// shuffled (rewrite-answers.ts), or, below the round's threshold, never written: the round
// keeps only its count; the results computed and stored for its report
// (src/reports/round-results.ts); the leader emailed; last, the sealed rows gone with their
// partition's files (TRUNCATE, sealed-partitions.ts). A check-back (src/check-back/) closes
// exactly the same way. After commit, VACUUM removes the dead rows the round left and the
// emptied partition is detached and dropped (vacuumAfterClose).
import { paths } from '../http/paths.ts';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { thresholdInForce } from '../domain/request-life.ts';
import { queueEmail } from '../email/outbox.ts';
import { personLocale } from '../i18n/recipients.ts';
import { storeRoundResults } from '../reports/round-results.ts';
import { countResponses } from './round-queries.ts';
import { roundPeople } from './people.ts';
import { deleteSealed, writeShuffledAnswers } from './rewrite-answers.ts';
import { dropEndedPartitions } from './sealed-partitions.ts';
import { linkSecretOf } from './survey-links.ts';

export interface CloseDeps {
  config: Pick<Config, 'BASE_URL' | 'SESSION_SECRET' | 'ANONYMITY_THRESHOLD'>;
  clock: Clock;
}

/**
 * Closes one open round; `dueOnly` closes it only if its closing time has passed (the job's
 * case, so a round extended meanwhile stays open). Resolves with whether this call closed it.
 */
export async function closeRound(
  db: Kysely<Database>,
  requestId: string,
  deps: CloseDeps,
  opts: { dueOnly?: boolean } = {},
): Promise<boolean> {
  const now = deps.clock.now();
  return db.transaction().execute(async (trx) => {
    let update = trx
      .updateTable('feedback_requests')
      .set({ status: 'closed', closed_at: now })
      .where('id', '=', requestId)
      .where('status', '=', 'open');
    if (opts.dueOnly) update = update.where('closes_at', '<=', now);
    const closed = await update
      .returning(['id', 'invited_count', 'anonymity_threshold', 'check_back_of'])
      .executeTakeFirst();
    if (!closed) return false;
    await trx.deleteFrom('survey_links').where('request_id', '=', requestId).execute();
    // The sealed rows are final from here: a submission spends its link and stores its row in
    // one statement that needs the round open. One that spent its link before us held that
    // row, so the delete above waited for it to commit, and each statement below sees its
    // row; one that comes later finds the link gone and stores nothing.
    const answered = await countResponses(trx, requestId);
    if (answered >= thresholdInForce(closed, deps.config.ANONYMITY_THRESHOLD))
      await writeShuffledAnswers(trx, requestId, linkSecretOf(deps.config));
    await trx.updateTable('feedback_requests').set({ response_count: answered }).where('id', '=', requestId).execute();
    // The figures use the threshold recorded at launch, which every launched round has; a
    // round without one gets its row at the first view of its report instead, with the
    // deployment's threshold (src/reports/round-results.ts, closedRoundResults).
    if (closed.anonymity_threshold !== null) await storeRoundResults(trx, requestId, closed.anonymity_threshold);
    const people = await roundPeople(trx, requestId);
    // In the leader's language, else the manager's.
    const locale = personLocale(people.leaderLanguages, personLocale(people.managerLanguages));
    await queueEmail(
      trx,
      {
        to: people.leaderEmail,
        name: 'round-closed',
        data: {
          managerName: people.managerName,
          leaderName: people.leaderName,
          answered,
          invited: closed.invited_count ?? 0,
          // A check-back's results show beside the focus points of its round's report.
          link: closed.check_back_of
            ? `${paths.reports.show(closed.check_back_of)}#focus-points`
            : paths.reports.show(requestId),
          checkBack: closed.check_back_of !== null,
          locale,
        },
      },
      deps,
    );
    // Last, so the partition's ACCESS EXCLUSIVE lock is held for as little as can be (a
    // leader's page counting the answers of open rounds waits for it).
    await deleteSealed(trx, requestId);
    return true;
  });
}

/**
 * A spent link leaves dead row versions until vacuumed, and where they lie could hint at when
 * someone answered; VACUUM (never inside a transaction) clears them. The sealed rows left none:
 * their partition was truncated, and is detached and dropped here (sealed-partitions.ts).
 * `answers` only had rows added, so it has none to clear. Best effort: a failure is logged by
 * the caller and the next close (or the round jobs) tries again.
 */
export async function vacuumAfterClose(db: Kysely<Database>): Promise<void> {
  let failure: unknown;
  await sql`vacuum survey_links, unsealed_responses`.execute(db).catch((error: unknown) => (failure = error));
  await dropEndedPartitions(db);
  if (failure) throw failure;
}

/** Rounds whose closing time has passed and that are still open. */
export async function dueRoundIds(db: Kysely<Database>, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('feedback_requests')
    .select('id')
    .where('status', '=', 'open')
    .where('closes_at', '<=', now)
    .orderBy('closes_at')
    .execute();
  return rows.map((row) => row.id);
}
