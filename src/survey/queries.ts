// Queries behind the survey. Each takes `db` (or a transaction) first.
//
// Only `spendLinkAndStoreSealed` writes, and what it writes never names the invitee:
// see the comment on it. Everything else here is a plain read, and reads leave no trace on
// the rows they read.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, FeedbackRequestsTable, RequestQuestionsTable } from '../db/schema.ts';
import { compiledOnce } from '../db/fast-path/compiled-query.ts';
import { batchedLookup, batchedStatement } from '../db/fast-path/batches.ts';

export type SurveyRequest = Pick<
  Selectable<FeedbackRequestsTable>,
  | 'id'
  | 'kind'
  | 'status'
  | 'closes_at'
  | 'closed_at'
  | 'team_note'
  | 'anonymity_threshold'
  | 'leader_email'
  | 'survey_language'
>;
export type SurveyQuestion = Pick<
  Selectable<RequestQuestionsTable>,
  'id' | 'position' | 'kind' | 'prompt' | 'required' | 'choices'
>;

export interface LinkLookup {
  request: SurveyRequest;
  people: SurveyPeople;
  /** False once the link has been used. A closed round's links are gone: no lookup at all. */
  hasBallot: boolean;
}

export interface SurveyPeople {
  managerName: string;
  /** The leader's display name if they have an account with a name, else their address. */
  leaderName: string;
  /** The leader's chosen zone (null: the deployment's): the team reads the closing time on it. */
  leaderZone: string | null;
}

// Every survey view and answer runs this, so it is compiled once (src/db/fast-path/compiled-query.ts),
// and the links looked up at the same moment go in one query (src/db/fast-path/batches.ts).
// Exported, as is spendQuery, for the benchmark's run of the database alone (bench/).
export const linkQuery = compiledOnce(['tokenHashes'], (db, params) =>
  db
    .selectFrom('survey_links as k')
    .innerJoin('feedback_requests as r', 'r.id', 'k.request_id')
    .innerJoin('users as m', 'm.id', 'r.manager_id')
    .leftJoin('users as l', (join) => join.on('l.email', '=', sql<string>`lower(r.leader_email)`))
    // The array goes through a sub-select so that PostgreSQL plans the statement once for any
    // number of links. Given the array itself, it plans every run anew for its exact length,
    // as the one plan for any "= any($1)" (estimated at ten rows) always looks dearer than
    // that, and planning this join costs more than running it (docs/BENCHMARKS.md).
    .where((eb) => eb('k.key', '=', eb.fn.any(sql<string[]>`(select ${params.tokenHashes}::text[])::text[]`)))
    .select([
      'k.key as token_hash',
      'k.spent',
      'r.id',
      'r.kind',
      'r.status',
      'r.closes_at',
      'r.closed_at',
      'r.team_note',
      'r.anonymity_threshold',
      'r.leader_email',
      'r.kind',
      'r.survey_language',
    ])
    .select([
      'm.display_name as manager_name',
      'm.email as manager_email',
      'l.display_name as leader_name',
      'l.time_zone as leader_zone',
    ]),
);

const linkRow = batchedLookup(
  async (db, tokenHashes: readonly string[]) => (await linkQuery(db, { tokenHashes })).rows,
  // Found by its hash, so the row's hash is never null.
  (row) => row.token_hash!,
);

/**
 * The round a link belongs to and who asked and collects, by the hash of its token (its
 * key in survey_links); undefined for no such link, or one whose round has closed.
 */
export async function findLink(db: Kysely<Database>, tokenHash: string): Promise<LinkLookup | undefined> {
  const row = await linkRow(db, tokenHash);
  if (!row) return undefined;
  const { token_hash: _, spent, manager_name, manager_email, leader_name, leader_zone, ...request } = row;
  return {
    request,
    people: {
      managerName: manager_name || manager_email,
      leaderName: leader_name || request.leader_email,
      leaderZone: leader_zone,
    },
    hasBallot: !spent,
  };
}

/** One answer of a submission: a scale value or option index, "not applicable", or a comment. */
export interface NewAnswer {
  questionId: string;
  value: number | null;
  notApplicable: boolean;
  text: string | null;
}

/**
 * Spends links and stores their sealed responses, many at once, in one statement and so in
 * one transaction (answers posted at the same moment are batched, src/db/fast-path/batches.ts),
 * and returns for each one it spent what the thank-you page needs of the round (so a
 * submission can be one round trip, see routes.ts). A submission is left out of the result
 * when its link was already spent, belongs to another round than its `request_id`, or its
 * round is no longer open (or its closing time, as of that submission's `now`, has passed);
 * nothing was written for it.
 *
 * Exactly once: two submissions of one link both try to mark the same link spent. In one
 * statement, the row is updated once, for one of them. In two, the second waits for the
 * first's row lock; when the first commits, PostgreSQL re-checks the row, finds it spent,
 * and the second updates nothing, so its sealed row is not inserted either. A failure
 * anywhere rolls the whole statement back, the link included.
 *
 * Unpaired: the statement touches the link's row, keyed by a value only the server secret
 * connects to an invitation, and inserts the sealed row (random id, the round, ciphertext of
 * the round's fixed size), and nothing else. It never touches `invitations`. The round's
 * links are deleted at close, so afterwards not even the secret pairs a link with a row.
 * What the answers are, and that they belong to the round's questions, was settled before
 * sealing (form.ts, sealing.ts).
 */
export const spendQuery = compiledOnce(
  ['tokenHashes', 'requestIds', 'nows', 'sealed'],
  (_db, p) =>
    sql<{
      n: number;
      closes_at: Date;
      anonymity_threshold: number | null;
      leader_email: string;
      survey_language: string;
      leader_name: string | null;
      leader_zone: string | null;
    }>`
    with submitted as (
      select s.token_hash, s.request_id, s.now, s.sealed, s.n::int as n
      from unnest(${p.tokenHashes}::text[], ${p.requestIds}::uuid[], ${p.nows}::timestamptz[], ${p.sealed}::text[])
        with ordinality as s (token_hash, request_id, now, sealed, n)
    ), spent as (
      update survey_links set spent = true
      from submitted, feedback_requests
      where survey_links.key = submitted.token_hash
        and not survey_links.spent
        and survey_links.request_id = submitted.request_id
        and feedback_requests.id = survey_links.request_id
        and feedback_requests.status = 'open'
        and feedback_requests.closes_at > submitted.now
      returning submitted.n, submitted.sealed, survey_links.request_id, feedback_requests.closes_at,
        feedback_requests.anonymity_threshold, feedback_requests.leader_email, feedback_requests.survey_language
    ), stored as (
      insert into sealed_responses (request_id, sealed)
      select request_id, decode(sealed, 'base64') from spent
    )
    select spent.n, spent.closes_at, spent.anonymity_threshold, spent.leader_email, spent.survey_language,
      leader.display_name as leader_name, leader.time_zone as leader_zone
    from spent
      left join users as leader on leader.email = lower(spent.leader_email)`,
);

/** What the thank-you page says about the round a link was just spent in. */
export interface SpentRound {
  request: Pick<SurveyRequest, 'closes_at' | 'anonymity_threshold' | 'leader_email' | 'survey_language'>;
  /** As in SurveyPeople: the leader's display name if they have one, else their address. */
  leaderName: string;
  /** The leader's own zone (null: TIME_ZONE): the round's dates are read on their clock. */
  leaderZone: string | null;
}

export interface Submission {
  tokenHash: string;
  requestId: string;
  now: Date;
  /** The answers sealed with the round's key (sealing.ts). */
  sealed: Buffer;
}

/**
 * Spends the link and stores its sealed response (see spendQuery); undefined when the link
 * could not be spent in that round, and then nothing was written. The rows go as column
 * arrays (the sealed bytes as base64), so the statement is one text for any number of
 * submissions and is compiled once (src/db/fast-path/compiled-query.ts).
 */
export const spendLinkAndStoreSealed = batchedStatement(
  async (db, submissions: readonly Submission[]): Promise<Array<SpentRound | undefined>> => {
    const { rows } = await spendQuery(db, {
      tokenHashes: submissions.map((s) => s.tokenHash),
      requestIds: submissions.map((s) => s.requestId),
      nows: submissions.map((s) => s.now),
      sealed: submissions.map((s) => s.sealed.toString('base64')),
    });
    const spent = new Map(
      rows.map(({ n, leader_name, leader_zone, ...request }) => [
        n,
        { request, leaderName: leader_name || request.leader_email, leaderZone: leader_zone },
      ]),
    );
    return submissions.map((_, index) => spent.get(index + 1));
  },
);
