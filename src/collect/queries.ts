// A leader's view of the requests addressed to them. Every query is scoped by the leader's
// email, so a request someone else leads is simply not found. Callers own transactions.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { RoundPeopleForCheck } from './addresses-to-check.ts';
import { answeredCount } from '../rounds/round-queries.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Requests the leader collects (never drafts, which the leader has not been sent), newest first. */
export function listCollectedRequests(db: Db, leaderEmail: string) {
  return (
    db
      .selectFrom('feedback_requests as r')
      .innerJoin('users as m', 'm.id', 'r.manager_id')
      .select((eb) => [
        'r.id',
        'r.manager_id',
        'r.status',
        'r.created_at',
        'r.closes_at',
        'r.submitted_at',
        'r.launched_at',
        'r.closed_at',
        'r.invited_count',
        'r.anonymity_threshold',
        eb.fn.coalesce('m.display_name', 'm.email').as('manager_name'),
        // Participation is counted in SQL, per request: sealed rows while open, the stored count after.
        answeredCount(eb.ref('r.id'), eb.ref('r.response_count')).as('answered'),
      ])
      .where('r.leader_email', '=', leaderEmail)
      .where('r.status', '!=', 'draft')
      // Check-backs follow their round in its report (src/check-back/); here a check-back would
      // count as the manager's latest round.
      .where('r.kind', '=', 'round')
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id')
      .execute()
  );
}

export type CollectedRequest = Awaited<ReturnType<typeof listCollectedRequests>>[number];

export function findLeaderRequest(db: Db, id: string, leaderEmail: string) {
  return (
    db
      .selectFrom('feedback_requests as r')
      .innerJoin('users as m', 'm.id', 'r.manager_id')
      .selectAll('r')
      .select((eb) => eb.fn.coalesce('m.display_name', 'm.email').as('manager_name'))
      .where('r.id', '=', id)
      .where('r.leader_email', '=', leaderEmail)
      .where('r.status', '!=', 'draft')
      // A check-back's team waiting to be launched is launched from the round's check-back
      // page, never reviewed here as a request; once open it is followed here like a round.
      .where((eb) => eb.or([eb('r.kind', '=', 'round'), eb('r.status', '!=', 'submitted')]))
      .executeTakeFirst()
  );
}

export type LeaderRequest = NonNullable<Awaited<ReturnType<typeof findLeaderRequest>>>;

/** The manager's address and name (null if they gave none) and the leader's address. */
export function peopleForCheck(db: Db, requestId: string): Promise<RoundPeopleForCheck> {
  return db
    .selectFrom('feedback_requests as r')
    .innerJoin('users as m', 'm.id', 'r.manager_id')
    .select(['m.email as managerEmail', 'm.display_name as managerName', 'r.leader_email as leaderEmail'])
    .where('r.id', '=', requestId)
    .executeTakeFirstOrThrow();
}

/**
 * Locks the leader's request while it waits for a decision, so a removal, an edit and a
 * launch happen one after another and a launch counts the invitees it really sends to.
 */
export function lockSubmittedRequest(trx: Transaction<Database>, id: string, leaderEmail: string) {
  return trx
    .selectFrom('feedback_requests')
    .selectAll()
    .where('id', '=', id)
    .where('leader_email', '=', leaderEmail)
    .where('status', '=', 'submitted')
    .where('kind', '=', 'round')
    .forUpdate()
    .executeTakeFirst();
}

/** Deletes one invitation of the request; the caller holds the request's lock. */
export async function deleteInvitation(trx: Transaction<Database>, requestId: string, invitationId: string) {
  const result = await trx
    .deleteFrom('invitations')
    .where('id', '=', invitationId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Changes the closing date and the team note while the request waits for a decision. */
export async function updateRequestDetails(
  db: Db,
  target: { requestId: string; leaderEmail: string },
  details: { closesAt: Date; teamNote: string; surveyLanguage: string },
) {
  const result = await db
    .updateTable('feedback_requests')
    .set({ closes_at: details.closesAt, team_note: details.teamNote, survey_language: details.surveyLanguage })
    .where('id', '=', target.requestId)
    .where('leader_email', '=', target.leaderEmail)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function declineSubmitted(
  db: Db,
  target: { requestId: string; leaderEmail: string },
  reason: string,
  now: Date,
) {
  const result = await db
    .updateTable('feedback_requests')
    .set({ status: 'declined', decline_reason: reason, decided_at: now })
    .where('id', '=', target.requestId)
    .where('leader_email', '=', target.leaderEmail)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Locks the leader's open round if it may be extended to `closesAt`: once, later, before its time is up. */
export function lockExtendableRound(
  trx: Transaction<Database>,
  target: { requestId: string; leaderEmail: string },
  at: { now: Date; closesAt: Date },
) {
  return trx
    .selectFrom('feedback_requests')
    .select(['closes_at'])
    .where('id', '=', target.requestId)
    .where('leader_email', '=', target.leaderEmail)
    .where('status', '=', 'open')
    .where('extended', '=', false)
    .where('closes_at', '>', at.now)
    .where('closes_at', '<', at.closesAt)
    .forUpdate()
    .executeTakeFirst();
}

export async function setClosingDate(trx: Transaction<Database>, requestId: string, closesAt: Date) {
  await trx
    .updateTable('feedback_requests')
    .set({ closes_at: closesAt, extended: true })
    .where('id', '=', requestId)
    .execute();
}

/** Moves the round's reminders not yet sent by the same time as its close. */
export async function shiftUnsentReminders(trx: Transaction<Database>, requestId: string, shiftMs: number) {
  await trx
    .updateTable('reminders')
    .set({ due_at: sql`due_at + ${shiftMs} * interval '1 millisecond'` })
    .where('request_id', '=', requestId)
    .where('sent_at', 'is', null)
    .execute();
}

/** The round's reminder points, sent and still due, in time order: when, never to whom. */
export function listReminders(db: Db, requestId: string) {
  return db
    .selectFrom('reminders')
    .select(['due_at', 'sent_at'])
    .where('request_id', '=', requestId)
    .orderBy(sql`coalesce(sent_at, due_at)`)
    .execute();
}

/** The leader's open round, locked until the caller's transaction ends: two sends take turns. */
export function lockOpenRoundOfLeader(
  trx: Transaction<Database>,
  target: { requestId: string; leaderEmail: string },
  now: Date,
) {
  return trx
    .selectFrom('feedback_requests')
    .select(['closes_at', 'anonymity_threshold', 'kind', 'survey_language'])
    .where('id', '=', target.requestId)
    .where('leader_email', '=', target.leaderEmail)
    .where('status', '=', 'open')
    .where('closes_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
}

/** When the round's last reminder went out, by hand or on schedule; null if none has. */
export async function lastReminderSent(trx: Transaction<Database>, requestId: string): Promise<Date | null> {
  const row = await trx
    .selectFrom('reminders')
    .select((eb) => eb.fn.max('sent_at').as('last'))
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return row?.last ? new Date(row.last) : null;
}

/** A reminder sent by hand: a point due and sent now. */
export async function insertSentReminder(trx: Transaction<Database>, requestId: string, now: Date) {
  await trx.insertInto('reminders').values({ request_id: requestId, due_at: now, sent_at: now }).execute();
}
