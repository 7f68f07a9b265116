// What the operator can do for one person who asks (`npm run ops -- export-person|erase-person`).
//
// Export: everything held about them by their address, as JSON: the account, the requests
// they made (questions, the invitee list they typed, focus points), the requests they lead,
// the focus points they wrote, the invitation lists their address is on, and the emails
// addressed to them. Never a response or answer: those are anonymous and belong to nobody.
//
// Erase, in one transaction:
// - the account goes, with its sessions, sign-in links and emails addressed to it;
// - the requests they made go, and with them those rounds' questions, invitation lists,
//   responses and focus points: that feedback is about them;
// - requests they lead stay (they are the manager's, and the team's answers are in them),
//   but the leader's address is replaced by ERASED_LEADER, which no one can sign in as;
// - their address leaves every other invitation list: on a round not yet launched the
//   invitation goes; on a launched round only the address goes (as after the retention
//   period), so counts, responses and every aggregate stay exactly as they were.
import { LAUNCHED_STATUSES } from '../domain/request-life.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

const normaliseEmail = (email: string) => email.trim().toLowerCase();

type Db = Kysely<Database> | Transaction<Database>;

/** Stands in for an erased leader's address: `.invalid` can never receive mail or sign in. */
export const ERASED_LEADER = 'erased-leader@erased.invalid';

export class PersonNotFoundError extends Error {
  constructor(email: string) {
    super(`No account and no invitation holds the address ${email}.`);
    this.name = 'PersonNotFoundError';
  }
}

async function questionsOfEach(db: Db, requestIds: string[]) {
  if (!requestIds.length) return [];
  return db
    .selectFrom('request_questions')
    .select(['request_id', 'position', 'kind', 'prompt', 'required', 'choices'])
    .where('request_id', 'in', requestIds)
    .orderBy('request_id')
    .orderBy('position')
    .execute();
}

async function focusPointsOf(db: Db, requestIds: string[]) {
  if (!requestIds.length) return [];
  return db
    .selectFrom('focus_points')
    .select(['request_id', 'text', 'follow_up_on', 'created_at', 'done_at'])
    .where('request_id', 'in', requestIds)
    .orderBy('created_at')
    .execute();
}

/** The manager's own, signed answers about themself (the self-assessment), by question. */
async function selfAnswersOfEach(db: Db, requestIds: string[]) {
  if (!requestIds.length) return [];
  return db
    .selectFrom('self_answers as s')
    .innerJoin('request_questions as q', 'q.id', 's.question_id')
    .select(['s.request_id', 'q.prompt', 's.value', 's.not_applicable', 's.text', 's.updated_at'])
    .where('s.request_id', 'in', requestIds)
    .orderBy('s.request_id')
    .orderBy('q.position')
    .execute();
}

export async function exportPerson(db: Db, rawEmail: string) {
  const email = normaliseEmail(rawEmail);
  const account = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'created_at'])
    .where('email', '=', email)
    .executeTakeFirst();

  const made = account
    ? await db
        .selectFrom('feedback_requests')
        .select([
          'id',
          'status',
          'leader_email',
          'manager_note',
          'team_note',
          'decline_reason',
          'leader_notes',
          'invited_count',
          'previous_request_id',
          'created_at',
          'submitted_at',
          'launched_at',
          'closes_at',
          'closed_at',
          'released_at',
        ])
        .where('manager_id', '=', account.id)
        .orderBy('created_at')
        .execute()
    : [];
  const madeIds = made.map((r) => r.id);
  const questions = await questionsOfEach(db, madeIds);
  const focusPoints = await focusPointsOf(db, madeIds);
  const selfAnswers = await selfAnswersOfEach(db, madeIds);
  const invitees = madeIds.length
    ? await db
        .selectFrom('invitations')
        .select(['request_id', 'email'])
        .where('request_id', 'in', madeIds)
        .where('email', 'is not', null)
        .orderBy('email')
        .execute()
    : [];

  const led = await db
    .selectFrom('feedback_requests as r')
    .innerJoin('users as m', 'm.id', 'r.manager_id')
    .select([
      'r.id',
      'r.status',
      'm.email as manager_email',
      'm.display_name as manager_name',
      'r.manager_note',
      'r.team_note',
      'r.decline_reason',
      'r.leader_notes',
      'r.created_at',
      'r.closes_at',
      'r.closed_at',
      'r.released_at',
    ])
    .where(sql<string>`lower(r.leader_email)`, '=', email)
    .orderBy('r.created_at')
    .execute();

  const invitedTo = await db
    .selectFrom('invitations as i')
    .innerJoin('feedback_requests as r', 'r.id', 'i.request_id')
    .innerJoin('users as m', 'm.id', 'r.manager_id')
    .select(['r.id as request_id', 'r.status', 'm.email as manager_email', 'r.closes_at'])
    .where('i.email', '=', email)
    .orderBy('r.created_at')
    .execute();

  const focusPointsWritten = account
    ? await db
        .selectFrom('focus_points')
        .select(['request_id', 'text', 'follow_up_on', 'created_at'])
        .where('created_by', '=', account.id)
        .orderBy('created_at')
        .execute()
    : [];
  const emails = await db
    .selectFrom('email_outbox')
    .select(['name', 'subject', 'status', 'created_at', 'sent_at'])
    .where('to_address', '=', email)
    .orderBy('created_at')
    .execute();

  if (!account && !led.length && !invitedTo.length && !emails.length) throw new PersonNotFoundError(email);

  return {
    email,
    account: account ?? null,
    requestsMade: made.map((request) => ({
      ...request,
      questions: questions.filter((q) => q.request_id === request.id).map(({ request_id: _, ...q }) => q),
      invitees: invitees.filter((i) => i.request_id === request.id).map((i) => i.email),
      focusPoints: focusPoints.filter((f) => f.request_id === request.id).map(({ request_id: _, ...f }) => f),
      selfAssessment: selfAnswers.filter((a) => a.request_id === request.id).map(({ request_id: _, ...a }) => a),
    })),
    requestsLed: led,
    focusPointsWritten,
    invitedTo,
    emails,
    note: 'Survey responses are anonymous: nothing links any response to this person, so none is included.',
  };
}

export interface Erased {
  account: boolean;
  requestsDeleted: number;
  requestsLedKept: number;
  invitationsRemoved: number;
  addressesCleared: number;
  emailsDeleted: number;
}

export async function erasePerson(db: Kysely<Database>, rawEmail: string): Promise<Erased> {
  const email = normaliseEmail(rawEmail);
  return db.transaction().execute(async (trx) => {
    const account = await trx
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .forUpdate()
      .executeTakeFirst();
    // Their requests, with every round's questions, invitations, survey links, answers,
    // reminders and focus points (all cascade from feedback_requests), and an open round's
    // sealed rows, which have no key to cascade from (migration 0019); the round jobs drop
    // the emptied partitions. Round by round, by value, so each statement touches (and locks)
    // that round's partition alone, not every round's.
    const theirs = account
      ? await trx.selectFrom('feedback_requests').select('id').where('manager_id', '=', account.id).execute()
      : [];
    for (const { id } of theirs) await trx.deleteFrom('sealed_responses').where('request_id', '=', id).execute();
    const deleted = account
      ? await trx.deleteFrom('feedback_requests').where('manager_id', '=', account.id).executeTakeFirst()
      : { numDeletedRows: 0n };
    const led = await trx
      .updateTable('feedback_requests')
      .set({ leader_email: ERASED_LEADER })
      .where(sql<string>`lower(leader_email)`, '=', email)
      .executeTakeFirst();
    const removed = await trx
      .deleteFrom('invitations')
      .where('email', '=', email)
      .where('request_id', 'in', (eb) =>
        eb
          .selectFrom('feedback_requests')
          .select('id')
          .where('status', 'not in', [...LAUNCHED_STATUSES]),
      )
      .executeTakeFirst();
    // On a launched round the invitation stays (its link's key is not stored with it): only
    // the address goes, exactly as the retention purge does, so nothing else changes.
    const cleared = await trx
      .updateTable('invitations')
      .set({ email: null })
      .where('email', '=', email)
      .executeTakeFirst();
    const emails = await trx.deleteFrom('email_outbox').where('to_address', '=', email).executeTakeFirst();
    await trx.deleteFrom('sign_in_tokens').where('email', '=', email).execute();
    // Sessions cascade; focus points they wrote on others' requests keep their text, without author.
    if (account) await trx.deleteFrom('users').where('id', '=', account.id).execute();
    const result: Erased = {
      account: Boolean(account),
      requestsDeleted: Number(deleted.numDeletedRows),
      requestsLedKept: Number(led.numUpdatedRows),
      invitationsRemoved: Number(removed.numDeletedRows),
      addressesCleared: Number(cleared.numUpdatedRows),
      emailsDeleted: Number(emails.numDeletedRows),
    };
    if (
      !result.account &&
      !result.requestsLedKept &&
      !result.invitationsRemoved &&
      !result.addressesCleared &&
      !result.emailsDeleted
    ) {
      throw new PersonNotFoundError(email);
    }
    return result;
  });
}
