// The next round's date on a released request, and the claim that makes its email go out
// exactly once. Callers own the transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Sets (or, with null, clears) the next round's date of a released request. A date that
 * changes forgets that the old one was emailed, so the new date gets its own email; the same
 * date saved again sends nothing twice. Resolves false if the request is not released.
 */
export async function saveNextRoundDate(db: Db, requestId: string, day: string | null): Promise<boolean> {
  const result = await db
    .updateTable('feedback_requests')
    .set({
      next_round_on: day,
      next_round_emailed_at: sql<Date | null>`case when next_round_on is not distinct from ${day}::text
        then next_round_emailed_at else null end`,
    })
    .where('id', '=', requestId)
    .where('status', '=', 'released')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The released requests never emailed whose next round is due by `latestDay`, with their
 * manager's zone (null for the deployment's), who is emailed: the caller keeps those whose
 * morning has come there (rounds/sending-hours.ts) and claims them.
 */
export function nextRoundsDueBy(db: Db, latestDay: string) {
  return db
    .selectFrom('feedback_requests as r')
    .innerJoin('users as manager', 'manager.id', 'r.manager_id')
    .select(['r.id', 'r.next_round_on as day', 'manager.time_zone as zone'])
    .where('r.status', '=', 'released')
    .where('r.next_round_emailed_at', 'is', null)
    .where('r.next_round_on', '<=', latestDay)
    .$narrowType<{ day: string }>()
    .execute();
}

/**
 * Claims the released requests `ids` whose next round was never emailed,
 * by setting next_round_emailed_at in one statement (SKIP LOCKED, then the re-check, as
 * claimDueFocusPoints does), so only the claimer sends. A request whose follow-up round was
 * already started (any request points at it through previous_request_id) is passed over:
 * the manager needs no reminder of what they did.
 */
export async function claimDueNextRounds(db: Db, ids: readonly string[], now: Date) {
  if (ids.length === 0) return [];
  return db
    .updateTable('feedback_requests')
    .set({ next_round_emailed_at: now })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('feedback_requests as r')
        .select('r.id')
        .where('r.status', '=', 'released')
        .where('r.next_round_emailed_at', 'is', null)
        .where('r.id', 'in', ids)
        .where('r.next_round_on', 'is not', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('feedback_requests as later')
                .select('later.id')
                .whereRef('later.previous_request_id', '=', 'r.id'),
            ),
          ),
        )
        .forUpdate()
        .skipLocked(),
    )
    .where('next_round_emailed_at', 'is', null)
    .returning(['id', 'next_round_on'])
    .execute();
}

/** The follow-up round started from this one, if any: the page then opens it instead. */
export function findFollowUpRound(db: Db, previousId: string) {
  return db
    .selectFrom('feedback_requests')
    .select(['id', 'status'])
    .where('previous_request_id', '=', previousId)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}
