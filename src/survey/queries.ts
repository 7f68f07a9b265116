// Queries behind the survey. Each takes `db` (or a transaction) first.
//
// Only `spendBallotAndStoreResponse` writes, and what it writes never names the invitee:
// see the comment on it. Everything else here is a plain read, and reads leave no trace on
// the rows they read.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, FeedbackRequestsTable, RequestQuestionsTable } from '../db/schema.ts';
import { compiledOnce } from '../db/fast-path/compiled-query.ts';
import { batchedLookup, batchedStatement } from '../db/fast-path/batches.ts';

export type SurveyRequest = Pick<
  Selectable<FeedbackRequestsTable>,
  'id' | 'status' | 'closes_at' | 'closed_at' | 'team_note' | 'anonymity_threshold' | 'leader_email'
>;
export type SurveyQuestion = Pick<
  Selectable<RequestQuestionsTable>,
  'id' | 'position' | 'kind' | 'prompt' | 'required' | 'choices'
>;

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

// Every survey view and answer runs this, so it is compiled once (src/db/fast-path/compiled-query.ts),
// and the links looked up at the same moment go in one query (src/db/fast-path/batches.ts).
// Exported, as is spendQuery, for the benchmark's run of the database alone (bench/).
export const linkQuery = compiledOnce(['tokenHashes'], (db, params) =>
  db
    .selectFrom('invitations as i')
    .innerJoin('feedback_requests as r', 'r.id', 'i.request_id')
    .innerJoin('users as m', 'm.id', 'r.manager_id')
    .leftJoin('users as l', (join) => join.on('l.email', '=', sql<string>`lower(r.leader_email)`))
    // The array goes through a sub-select so that PostgreSQL plans the statement once for any
    // number of links. Given the array itself, it plans every run anew for its exact length,
    // as the one plan for any "= any($1)" (estimated at ten rows) always looks dearer than
    // that; and planning this join costs more than running it (pgbench, one valid link, 10
    // clients: ~4,100 runs a second planned each time against ~14,700 planned once).
    .where((eb) => eb('i.token_hash', '=', eb.fn.any(sql<string[]>`(select ${params.tokenHashes}::text[])::text[]`)))
    .select([
      'i.token_hash',
      'r.id',
      'r.status',
      'r.closes_at',
      'r.closed_at',
      'r.team_note',
      'r.anonymity_threshold',
      'r.leader_email',
    ])
    .select(['m.display_name as manager_name', 'm.email as manager_email', 'l.display_name as leader_name'])
    .select((eb) =>
      eb
        .exists(
          eb.selectFrom('ballots as b').whereRef('b.token_hash', '=', 'i.token_hash').select(sql.lit(1).as('one')),
        )
        .as('has_ballot'),
    ),
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

/** One answer as stored: a scale value or option index, "not applicable", or a comment. */
export interface NewAnswer {
  questionId: string;
  value: number | null;
  notApplicable: boolean;
  text: string | null;
}

/**
 * Spends links and stores their responses, many at once, in one statement and so in one
 * transaction (answers posted at the same moment are batched, src/db/fast-path/batches.ts), and returns
 * for each one it spent what the thank-you page needs of the round (so a submission can be
 * one round trip, see routes.ts). A submission is left out of the result when its link was
 * already spent, belongs to another round than its `request_id`, or its round is no longer
 * open (or its closing time, as of that submission's `now`, has passed); nothing was written
 * for it.
 *
 * Exactly once: two submissions of one link both try to delete the same ballot row. In one
 * statement, the row is deleted once, for one of them. In two, the second waits for the
 * first's row lock; when the first commits, PostgreSQL re-checks the row, finds it gone, and
 * the second deletes nothing, so its response and answers are not inserted either. A failure
 * anywhere rolls the whole statement back, ballots included.
 *
 * Unpaired: the statement writes responses, their answers and the ballots' deletion, and
 * nothing else. It never touches `invitations` (not even a read lock, which would stamp the
 * row's xmax with this transaction's id). Each response gets a new random id here, so the
 * answers can be put with it; nothing of the link goes with it. The responses' foreign key
 * takes a key-share lock on the request, which names no one.
 *
 * An answer must name a question of its own round: each is joined to its question in that
 * round (a plain read), and one that finds none would store a null question, which the
 * column refuses, failing the statement as a foreign key would. The join stands in for
 * that key, whose share locks on the few question rows every submission names slowed every
 * submission (migrations/2026-11-22-0008-answers-keyed-by-response.ts).
 *
 * Data-modifying CTEs all run exactly once, whether or not the final SELECT reads them, and
 * their foreign keys are checked at the end of the statement, so answers may reference the
 * responses inserted beside them. `numbered` is materialised, so each response's id is
 * drawn once.
 */
export const spendQuery = compiledOnce(
  ['tokenHashes', 'requestIds', 'nows', 'answerOf', 'questionIds', 'values', 'notApplicable', 'texts'],
  (_db, p) => sql<{
    n: number;
    closes_at: Date;
    anonymity_threshold: number | null;
    leader_email: string;
    leader_name: string | null;
  }>`
    with submitted as (
      select s.token_hash, s.request_id, s.now, s.n::int as n
      from unnest(${p.tokenHashes}::text[], ${p.requestIds}::uuid[], ${p.nows}::timestamptz[])
        with ordinality as s (token_hash, request_id, now, n)
    ), spent as (
      delete from ballots
      using submitted, feedback_requests
      where ballots.token_hash = submitted.token_hash
        and ballots.request_id = submitted.request_id
        and feedback_requests.id = ballots.request_id
        and feedback_requests.status = 'open'
        and feedback_requests.closes_at > submitted.now
      returning submitted.n, ballots.request_id, feedback_requests.closes_at, feedback_requests.anonymity_threshold, feedback_requests.leader_email
    ), numbered as materialized (
      select spent.*, gen_random_uuid() as response_id from spent
    ), response as (
      insert into responses (id, request_id) select response_id, request_id from numbered
    ), stored as (
      insert into answers (response_id, question_id, value, not_applicable, text)
      select numbered.response_id, q.id, a.value, a.not_applicable, a.text
      from numbered join unnest(
        ${p.answerOf}::int[], ${p.questionIds}::uuid[], ${p.values}::smallint[], ${p.notApplicable}::boolean[], ${p.texts}::text[]
      ) as a (n, question_id, value, not_applicable, text) on a.n = numbered.n
      left join request_questions as q on q.id = a.question_id and q.request_id = numbered.request_id
    )
    select numbered.n, numbered.closes_at, numbered.anonymity_threshold, numbered.leader_email,
      (select l.display_name from users as l where l.email = lower(numbered.leader_email)) as leader_name
    from numbered`,
);

/** What the thank-you page says about the round a link was just spent in. */
export interface SpentRound {
  request: Pick<SurveyRequest, 'closes_at' | 'anonymity_threshold' | 'leader_email'>;
  /** As in SurveyPeople: the leader's display name if they have one, else their address. */
  leaderName: string;
}

export interface Submission {
  tokenHash: string;
  requestId: string;
  now: Date;
  answers: NewAnswer[];
}

/**
 * Spends the link and stores its response (see spendQuery); undefined when the link could not
 * be spent in that round, and then nothing was written. The answers go as column arrays, each
 * answer numbered with its submission (from 1, as `with ordinality` counts), so the statement
 * is one text for any number of submissions and answers and is compiled once
 * (src/db/fast-path/compiled-query.ts).
 */
export const spendBallotAndStoreResponse = batchedStatement(
  async (db, submissions: readonly Submission[]): Promise<Array<SpentRound | undefined>> => {
    const answers = submissions.flatMap((submission, index) =>
      submission.answers.map((answer) => ({ ...answer, n: index + 1 })),
    );
    const { rows } = await spendQuery(db, {
      tokenHashes: submissions.map((s) => s.tokenHash),
      requestIds: submissions.map((s) => s.requestId),
      nows: submissions.map((s) => s.now),
      answerOf: answers.map((a) => a.n),
      questionIds: answers.map((a) => a.questionId),
      values: answers.map((a) => a.value),
      notApplicable: answers.map((a) => a.notApplicable),
      texts: answers.map((a) => a.text),
    });
    const spent = new Map(
      rows.map(({ n, leader_name, ...request }) => [n, { request, leaderName: leader_name || request.leader_email }]),
    );
    return submissions.map((_, index) => spent.get(index + 1));
  },
);
