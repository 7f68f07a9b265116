// Focus points agreed in the one-on-one after release, and the claim that makes each
// follow-up nudge go out exactly once. Callers own the transaction.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function listFocusPoints(db: Db, requestId: string) {
  return db
    .selectFrom('focus_points')
    .select(['id', 'text', 'follow_up_on', 'done_at', 'nudged_at'])
    .where('request_id', '=', requestId)
    .orderBy('follow_up_on')
    .orderBy('created_at')
    .execute();
}

/**
 * How many focus points the request has, open and in all, with the request's row locked
 * until the caller's transaction ends: two points added at once take turns, so neither
 * passes the limit on a count the other is about to change.
 */
export async function countFocusPointsLocked(trx: Transaction<Database>, requestId: string) {
  await trx.selectFrom('feedback_requests').select('id').where('id', '=', requestId).forUpdate().execute();
  const row = await trx
    .selectFrom('focus_points')
    .select((eb) => [
      eb.fn.countAll<string>().as('all'),
      eb.fn.countAll<string>().filterWhere('done_at', 'is', null).as('open'),
    ])
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow();
  return { open: Number(row.open), all: Number(row.all) };
}

export async function addFocusPoint(
  db: Db,
  point: { requestId: string; text: string; followUpOn: string; createdBy: string; now: Date },
) {
  await db
    .insertInto('focus_points')
    .values({
      request_id: point.requestId,
      text: point.text,
      follow_up_on: point.followUpOn,
      created_by: point.createdBy,
      created_at: point.now,
    })
    .execute();
}

/** Marks a point of this request done; a point of another request is left alone. */
export async function markFocusPointDone(db: Db, requestId: string, pointId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('focus_points')
    .set({ done_at: now })
    .where('id', '=', pointId)
    .where('request_id', '=', requestId)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The open points never nudged whose follow-up date is `latestDay` or before, with the zone of
 * their round (its leader's; null for the deployment's): the caller keeps those whose morning
 * has come there (rounds/sending-hours.ts) and claims them.
 */
export function focusPointsDueBy(db: Db, latestDay: string) {
  return db
    .selectFrom('focus_points as p')
    .innerJoin('feedback_requests as r', 'r.id', 'p.request_id')
    .leftJoin('users as leader', 'leader.email', 'r.leader_email')
    .select(['p.id', 'p.follow_up_on as day', 'leader.time_zone as zone'])
    .where('p.nudged_at', 'is', null)
    .where('p.done_at', 'is', null)
    .where('p.follow_up_on', '<=', latestDay)
    .execute();
}

/**
 * Claims the points `ids` that are still open and never nudged, by setting nudged_at in one
 * statement. SKIP LOCKED lets a second runner pass over rows the first is claiming instead
 * of waiting and claiming them again; a row claimed and committed meanwhile fails the
 * `nudged_at is null` re-check. Only the claimer gets a row back, so it alone sends.
 */
export async function claimDueFocusPoints(db: Db, ids: readonly string[], now: Date) {
  if (ids.length === 0) return [];
  return db
    .updateTable('focus_points')
    .set({ nudged_at: now })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('focus_points')
        .select('id')
        .where('id', 'in', ids)
        .where('nudged_at', 'is', null)
        .where('done_at', 'is', null)
        .forUpdate()
        .skipLocked(),
    )
    .where('nudged_at', 'is', null)
    .returning(['id', 'request_id', 'text', 'follow_up_on'])
    .execute();
}
