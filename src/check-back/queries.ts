// The queries behind a round's check-backs (issue 20): which focus points are due and not yet
// asked about, the round's team (its invitations, or a team the manager pasted once those
// were deleted), the check-back rows themselves, and what a launch writes. A check-back is a
// feedback request of kind 'check-back' pointing to its round (check_back_of). Callers own
// the transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { answeredCount } from '../rounds/round-queries.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** A focus point some check-back of its round asks about, open or closed (a pasted team has no questions yet). */
const askedAlready = (roundId: string) =>
  sql<boolean>`exists (select 1 from request_questions as q
    join feedback_requests as c on c.id = q.request_id
    where q.focus_point_id = p.id and c.check_back_of = ${roundId})`;

/** The round's focus points, each with whether a check-back has asked about it, by follow-up date. */
export function focusPointsOfRound(db: Db, roundId: string) {
  return db
    .selectFrom('focus_points as p')
    .select(['p.id', 'p.text', 'p.follow_up_on', 'p.created_at', 'p.done_at', askedAlready(roundId).as('asked')])
    .where('p.request_id', '=', roundId)
    .orderBy('p.follow_up_on')
    .orderBy('p.created_at')
    .execute();
}

export type RoundFocusPoint = Awaited<ReturnType<typeof focusPointsOfRound>>[number];

/** A check-back by its id, with the round it belongs to and its two people; none for a round. */
export function findCheckBack(db: Db, id: string) {
  return db
    .selectFrom('feedback_requests')
    .select(['id', 'check_back_of', 'leader_email', 'manager_id'])
    .where('id', '=', id)
    .where('kind', '=', 'check-back')
    .executeTakeFirst();
}

/** A round's check-backs, newest first, with how many answered (counted in SQL, as for a round). */
export function checkBacksOf(db: Db, roundId: string) {
  return db
    .selectFrom('feedback_requests as c')
    .select((eb) => [
      'c.id',
      'c.status',
      'c.closes_at',
      'c.closed_at',
      'c.launched_at',
      'c.anonymity_threshold',
      'c.invited_count',
      answeredCount(eb.ref('c.id'), eb.ref('c.response_count')).as('answered'),
      eb
        .selectFrom('invitations as i')
        .select((s) => s.fn.countAll<string>().as('n'))
        .whereRef('i.request_id', '=', 'c.id')
        .as('team'),
    ])
    .where('c.check_back_of', '=', roundId)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .execute();
}

export type CheckBackRow = Awaited<ReturnType<typeof checkBacksOf>>[number];

/** How many of the round's invitations still hold an address (none once they were deleted). */
export async function roundTeamSize(db: Db, roundId: string): Promise<number> {
  const row = await db
    .selectFrom('invitations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('request_id', '=', roundId)
    .where('email', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The leader's released round, locked until the caller's transaction ends: a launch and a
 * pasted team take turns, and a second click waits for the first launch, then finds its
 * focus points asked.
 */
export function lockReleasedRound(trx: Transaction<Database>, roundId: string) {
  return trx
    .selectFrom('feedback_requests')
    .select(['id', 'manager_id', 'leader_email', 'invitees_purged_at', 'survey_language'])
    .where('id', '=', roundId)
    .where('status', '=', 'released')
    .where('kind', '=', 'round')
    .forUpdate()
    .executeTakeFirst();
}

/** The check-back waiting for its launch with a team the manager pasted, if there is one. */
export function pendingTeamOf(db: Db, roundId: string) {
  return db
    .selectFrom('feedback_requests')
    .select(['id'])
    .where('check_back_of', '=', roundId)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
}

export type LockedRound = NonNullable<Awaited<ReturnType<typeof lockReleasedRound>>>;

/** A check-back row of the round, as its manager and leader have it, in the round's language. */
export async function insertCheckBack(
  trx: Transaction<Database>,
  round: LockedRound,
  row: { status: 'submitted' | 'open'; closesAt: Date; now: Date },
): Promise<string> {
  const { id } = await trx
    .insertInto('feedback_requests')
    .values({
      kind: 'check-back',
      check_back_of: round.id,
      // A check-back asks the round's team in the round's language.
      survey_language: round.survey_language,
      manager_id: round.manager_id,
      leader_email: round.leader_email,
      status: row.status,
      template_id: null,
      closes_at: row.closesAt,
      decline_reason: null,
      anonymity_threshold: null,
      invited_count: null,
      previous_request_id: null,
      created_at: row.now,
      submitted_at: row.now,
      decided_at: null,
      launched_at: null,
      closed_at: null,
      invitees_purged_at: null,
      released_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Replaces a waiting check-back's team with the addresses pasted. */
export async function replaceTeam(trx: Transaction<Database>, checkBackId: string, emails: readonly string[]) {
  await trx.deleteFrom('invitations').where('request_id', '=', checkBackId).execute();
  await trx
    .insertInto('invitations')
    .values(emails.map((email) => ({ request_id: checkBackId, email })))
    .execute();
}

/** The round's invitations that still hold an address, copied to the check-back; resolves with the copies. */
export function copyRoundTeam(trx: Transaction<Database>, roundId: string, checkBackId: string) {
  return trx
    .insertInto('invitations')
    .columns(['request_id', 'email'])
    .expression((eb) =>
      eb
        .selectFrom('invitations')
        .select([sql<string>`${checkBackId}::uuid`.as('request_id'), 'email'])
        .where('request_id', '=', roundId)
        .where('email', 'is not', null),
    )
    .returning(['id', 'email'])
    .execute();
}

/** One agree question per focus point, in order, then the optional comment. */
export async function insertCheckBackQuestions(
  trx: Transaction<Database>,
  checkBackId: string,
  questions: ReadonlyArray<{ prompt: string; focusPointId: string | null; kind: 'agree' | 'text'; required: boolean }>,
) {
  await trx
    .insertInto('request_questions')
    .values(
      questions.map((q, position) => ({
        request_id: checkBackId,
        position,
        kind: q.kind,
        prompt: q.prompt,
        required: q.required,
        focus_point_id: q.focusPointId,
      })),
    )
    .execute();
}

/** The questions of the round's closed check-backs, each with its focus point. */
export function checkBackQuestions(db: Db, checkBackIds: readonly string[]) {
  if (checkBackIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('request_questions')
    .select(['id', 'request_id', 'focus_point_id', 'kind'])
    .where('request_id', 'in', checkBackIds)
    .execute();
}
