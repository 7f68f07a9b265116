// Queries behind the survey. Each takes `db` (or a transaction) first.
//
// Only `spendBallotAndStoreResponse` writes, and what it writes never names the invitee:
// see the comment on it. Everything else here is a plain read, and reads leave no trace on
// the rows they read.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, FeedbackRequestsTable, RequestQuestionsTable } from '../db/schema.ts';
import { compiledOnce } from '../db/compiled-query.ts';
import { batchedLookup } from '../db/batched-lookup.ts';

export type SurveyRequest = Pick<
  Selectable<FeedbackRequestsTable>,
  'id' | 'status' | 'closes_at' | 'closed_at' | 'team_note' | 'anonymity_threshold' | 'leader_email'
>;
export type SurveyQuestion = Pick<Selectable<RequestQuestionsTable>, 'id' | 'position' | 'kind' | 'prompt' | 'required' | 'choices'>;

export interface LinkLookup {
  request: SurveyRequest;
  people: SurveyPeople;
  /** False once the link has been used (its ballot is gone), or the round has closed. */
  hasBallot: boolean;
}

export interface SurveyPeople {
  managerName: string;
  /** The leader's display name if they have an account with a name, else their address. */
  leaderName: string;
}

// Every survey view and answer runs this, so it is compiled once (src/db/compiled-query.ts),
// and the links looked up at the same moment go in one query (src/db/batched-lookup.ts).
// Exported, as is spendQuery, for the benchmark's run of the database alone (bench/).
export const linkQuery = compiledOnce(['tokenHashes'], (db, params) =>
  db
    .selectFrom('invitations as i')
    .innerJoin('feedback_requests as r', 'r.id', 'i.request_id')
    .innerJoin('users as m', 'm.id', 'r.manager_id')
    .leftJoin('users as l', (join) => join.on('l.email', '=', sql<string>`lower(r.leader_email)`))
    .where((eb) => eb('i.token_hash', '=', eb.fn.any(sql<string[]>`${params.tokenHashes}::text[]`)))
    .select(['i.token_hash', 'r.id', 'r.status', 'r.closes_at', 'r.closed_at', 'r.team_note', 'r.anonymity_threshold', 'r.leader_email'])
    .select(['m.display_name as manager_name', 'm.email as manager_email', 'l.display_name as leader_name'])
    .select((eb) => eb.exists(eb.selectFrom('ballots as b').whereRef('b.token_hash', '=', 'i.token_hash').select(sql.lit(1).as('one'))).as('has_ballot')),
);

const linkRow = batchedLookup(
  async (db, tokenHashes: readonly string[]) => (await linkQuery(db, { tokenHashes })).rows,
  // Found by its hash, so the row's hash is never null.
  (row) => row.token_hash!,
);

/**
 * The round a link belongs to and who asked and collects, by the hash of its token;
 * undefined for no such link. A read: it takes no lock on the invitation.
 */
export async function findLink(db: Kysely<Database>, tokenHash: string): Promise<LinkLookup | undefined> {
  const row = await linkRow(db, tokenHash);
  if (!row) return undefined;
  const { token_hash: _, has_ballot, manager_name, manager_email, leader_name, ...request } = row;
  return {
    request,
    people: { managerName: manager_name || manager_email, leaderName: leader_name || request.leader_email },
    hasBallot: Boolean(has_ballot),
  };
}

export async function findQuestions(db: Kysely<Database>, requestId: string): Promise<SurveyQuestion[]> {
  return db
    .selectFrom('request_questions')
    .where('request_id', '=', requestId)
    .select(['id', 'position', 'kind', 'prompt', 'required', 'choices'])
    .orderBy('position')
    .execute();
}

/** One answer as stored: a scale value or option index, "not applicable", or a comment. */
export interface NewAnswer {
  questionId: string;
  value: number | null;
  notApplicable: boolean;
  text: string | null;
}

/**
 * Spends the link and stores its response, in one statement and so in one transaction, and
 * returns what the thank-you page needs of the round (so a submission can be one round trip,
 * see routes.ts). Returns undefined when the link was already spent, belongs to another
 * round than `requestId`, or its round is no longer open (or its closing time has passed),
 * in which case nothing was written.
 *
 * Exactly once: two submissions of one link both try to delete the same ballot row. The
 * second waits for the first's row lock; when the first commits, PostgreSQL re-checks the
 * row, finds it gone, and the second deletes nothing, so its `response` and `answers` CTEs
 * insert nothing either. A failure anywhere rolls the whole statement back, ballot included.
 *
 * Unpaired: the statement writes the response, its answers and the ballot's deletion, and
 * nothing else. It never touches `invitations` (not even a read lock, which would stamp the
 * row's xmax with this transaction's id). Foreign keys take key-share locks on the request
 * and its questions, which name no one.
 *
 * Data-modifying CTEs all run exactly once, whether or not the final SELECT reads them, and
 * their foreign keys are checked at the end of the statement, so answers may reference the
 * response inserted beside them.
 */
export const spendQuery = compiledOnce(
  ['tokenHash', 'requestId', 'now', 'questionIds', 'values', 'notApplicable', 'texts'],
  (_db, p) => sql<{ closes_at: Date; anonymity_threshold: number | null; leader_email: string; leader_name: string | null }>`
    with spent as (
      delete from ballots
      using feedback_requests
      where ballots.token_hash = ${p.tokenHash}
        and ballots.request_id = ${p.requestId}::uuid
        and feedback_requests.id = ballots.request_id
        and feedback_requests.status = 'open'
        and feedback_requests.closes_at > ${p.now}::timestamptz
      returning ballots.request_id, feedback_requests.closes_at, feedback_requests.anonymity_threshold, feedback_requests.leader_email
    ), response as (
      insert into responses (request_id) select request_id from spent returning id
    ), stored as (
      insert into answers (response_id, question_id, value, not_applicable, text)
      select response.id, a.question_id, a.value, a.not_applicable, a.text
      from response cross join unnest(
        ${p.questionIds}::uuid[], ${p.values}::smallint[], ${p.notApplicable}::boolean[], ${p.texts}::text[]
      ) as a (question_id, value, not_applicable, text)
    )
    select spent.closes_at, spent.anonymity_threshold, spent.leader_email,
      (select l.display_name from users as l where l.email = lower(spent.leader_email)) as leader_name
    from response cross join spent`,
);

/** What the thank-you page says about the round a link was just spent in. */
export interface SpentRound {
  request: Pick<SurveyRequest, 'closes_at' | 'anonymity_threshold' | 'leader_email'>;
  /** As in SurveyPeople: the leader's display name if they have one, else their address. */
  leaderName: string;
}

export async function spendBallotAndStoreResponse(
  db: Kysely<Database>,
  input: { tokenHash: string; requestId: string; now: Date; answers: NewAnswer[] },
): Promise<SpentRound | undefined> {
  // The answers go as four arrays, one per column, so the statement is the same text for
  // any number of answers and is compiled once (src/db/compiled-query.ts).
  const { answers } = input;
  const result = await spendQuery(db, {
    tokenHash: input.tokenHash,
    requestId: input.requestId,
    now: input.now,
    questionIds: answers.map((a) => a.questionId),
    values: answers.map((a) => a.value),
    notApplicable: answers.map((a) => a.notApplicable),
    texts: answers.map((a) => a.text),
  });
  const [row] = result.rows;
  if (!row) return undefined;
  const { leader_name, ...request } = row;
  return { request, leaderName: leader_name || request.leader_email };
}
