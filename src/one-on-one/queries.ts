// The one_on_ones table (one row per request, made at the first save) and what the agenda
// reads besides the report: the manager's own answers. Callers own the transaction.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function findOneOnOne(db: Db, requestId: string) {
  return db.selectFrom('one_on_ones').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

export type OneOnOne = NonNullable<Awaited<ReturnType<typeof findOneOnOne>>>;

/**
 * The request's one-on-one, made if it has none yet, locked until the caller's transaction
 * ends: two saves at once take turns, so only one of them sends the first invitation.
 */
export async function lockOneOnOne(trx: Transaction<Database>, requestId: string, now: Date): Promise<OneOnOne> {
  await trx
    .insertInto('one_on_ones')
    .values({ request_id: requestId, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute();
  return trx
    .selectFrom('one_on_ones')
    .selectAll()
    .where('request_id', '=', requestId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function saveAgenda(db: Db, requestId: string, agenda: string, now: Date): Promise<void> {
  await db
    .insertInto('one_on_ones')
    .values({ request_id: requestId, agenda, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('request_id').doUpdateSet({ agenda, updated_at: now }))
    .execute();
}

export async function saveMeeting(
  db: Db,
  requestId: string,
  meeting: {
    startsAt: Date;
    timeZone: string;
    minutes: number;
    place: string;
    sequence: number;
    checkInDueAt: Date;
    now: Date;
  },
): Promise<void> {
  await db
    .updateTable('one_on_ones')
    .set({
      starts_at: meeting.startsAt,
      time_zone: meeting.timeZone,
      minutes: meeting.minutes,
      place: meeting.place,
      sequence: meeting.sequence,
      cancelled_at: null,
      check_in_due_at: meeting.checkInDueAt,
      checked_in_at: null,
      updated_at: meeting.now,
    })
    .where('request_id', '=', requestId)
    .execute();
}

/** Calls the meeting off: its time stays (the page says what was cancelled), the check-in goes. */
export async function markCancelled(db: Db, requestId: string, sequence: number, now: Date): Promise<void> {
  await db
    .updateTable('one_on_ones')
    .set({ cancelled_at: now, sequence, check_in_due_at: null, updated_at: now })
    .where('request_id', '=', requestId)
    .execute();
}

/**
 * Claims every one-on-one whose check-in is due and not yet sent, by setting checked_in_at in
 * one statement (like claimDueFocusPoints): SKIP LOCKED lets a second runner pass over rows
 * the first is claiming, and only the claimer gets a row back, so it alone sends.
 */
export function claimDueCheckIns(db: Db, now: Date) {
  return db
    .updateTable('one_on_ones')
    .set({ checked_in_at: now })
    .where('request_id', 'in', (eb) =>
      eb
        .selectFrom('one_on_ones')
        .select('request_id')
        .where('checked_in_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .where('check_in_due_at', '<=', now)
        .forUpdate()
        .skipLocked(),
    )
    .where('checked_in_at', 'is', null)
    .returning(['request_id'])
    .execute();
}

/** The leader's notes, locked until the caller's transaction ends, so two copies both land. */
export async function lockLeaderNotes(trx: Transaction<Database>, requestId: string): Promise<string> {
  const row = await trx
    .selectFrom('feedback_requests')
    .select('leader_notes')
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.leader_notes;
}
