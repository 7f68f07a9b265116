// The queries behind a report page: the round with its people, the previous round to compare
// with, the leader's hidden comments and notes, and the release. Callers own the transaction.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { commentRows, type CommentRow } from './aggregate.ts';
import type { Database, FeedbackRequestsTable } from '../db/schema.ts';
import { REPORT_STATUSES } from '../domain/request-life.ts';
import { answeredCount } from '../rounds/round-queries.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The earlier round a report compares with (see findReportRound). */
export interface PreviousRound {
  id: string;
  closed_at: Date | null;
  released_at: Date | null;
  anonymity_threshold: number | null;
}

export type ReportRound = Selectable<FeedbackRequestsTable> & {
  managerName: string;
  managerEmail: string;
  leaderName: string;
  /** The response count stored when the round closed (round_results); null while it has none. */
  storedResponses: number | null;
  /** The round to compare with, if any. */
  previous: PreviousRound | null;
  /** Its comments (aggregate.ts, commentRows) once closed; none while open. */
  comments: CommentRow[];
};

/**
 * The request with both people's names (their address when they gave no name), its stored
 * response count, the round its report compares with and its comments: one statement per
 * report view.
 */
/**
 * The two people of a round an email about their one-on-one goes to, each with the other's
 * name: the leader, then the manager.
 */
export function leaderAndManager(
  round: Pick<ReportRound, 'leader_email' | 'leaderName' | 'managerEmail' | 'managerName'>,
) {
  return [
    { role: 'leader' as const, to: round.leader_email, recipientName: round.leaderName, otherName: round.managerName },
    { role: 'manager' as const, to: round.managerEmail, recipientName: round.managerName, otherName: round.leaderName },
  ];
}

export async function findReportRound(db: Db, requestId: string): Promise<ReportRound | undefined> {
  const row = await db
    .selectFrom('feedback_requests as r')
    .innerJoin('users as manager', 'manager.id', 'r.manager_id')
    .leftJoin('users as leader', 'leader.email', 'r.leader_email')
    .leftJoin('round_results as results', 'results.request_id', 'r.id')
    // The round to compare with: the same manager's latest earlier request that was released
    // and met its own threshold (counted at close, or counted here for a round closed before
    // round_results existed), so its figures could be shown.
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('feedback_requests as p')
          .leftJoin('round_results as p_results', 'p_results.request_id', 'p.id')
          .select(['p.id', 'p.closed_at', 'p.released_at', 'p.anonymity_threshold'])
          .whereRef('p.manager_id', '=', 'r.manager_id')
          .whereRef('p.id', '!=', 'r.id')
          .where('p.status', '=', 'released')
          .whereRef('p.created_at', '<', 'r.created_at')
          .where((w) =>
            w(
              w.fn.coalesce('p_results.response_count', answeredCount(w.ref('p.id'), w.ref('p.response_count'))),
              '>=',
              w.ref('p.anonymity_threshold'),
            ),
          )
          .orderBy('p.created_at', 'desc')
          .limit(1)
          .as('previous'),
      (join) => join.onTrue(),
    )
    .selectAll('r')
    .select([
      'manager.email as managerEmail',
      'manager.display_name as managerDisplayName',
      'leader.display_name as leaderDisplayName',
      'results.response_count as storedResponses',
      'previous.id as previousId',
      'previous.closed_at as previousClosedAt',
      'previous.released_at as previousReleasedAt',
      'previous.anonymity_threshold as previousThreshold',
    ])
    // Its comments in the same statement, once the round has its report: until then nobody
    // may read them. Sorted in the sub-select, which json_agg keeps.
    .select(() =>
      jsonArrayFrom(commentRows(db, sql.ref<string>('r.id')).where(sql.ref('r.status'), 'in', REPORT_STATUSES)).as(
        'comments',
      ),
    )
    .where('r.id', '=', requestId)
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    managerDisplayName,
    leaderDisplayName,
    storedResponses,
    previousId,
    previousClosedAt,
    previousReleasedAt,
    previousThreshold,
    ...round
  } = row;
  return {
    ...round,
    managerName: managerDisplayName ?? row.managerEmail,
    leaderName: leaderDisplayName ?? row.leader_email,
    storedResponses,
    previous: previousId
      ? {
          id: previousId,
          closed_at: previousClosedAt,
          released_at: previousReleasedAt,
          anonymity_threshold: previousThreshold,
        }
      : null,
  };
}

/**
 * Hides or shows one comment. Only a comment (text answer) to one of this round's questions
 * qualifies, so an answer id from another round changes nothing. Resolves false then.
 */
export async function setCommentHidden(db: Db, requestId: string, answerId: string, hidden: boolean): Promise<boolean> {
  const result = await db
    .updateTable('answers')
    .set({ hidden })
    .where('id', '=', answerId)
    .where('text', 'is not', null)
    .where('question_id', 'in', (eb) =>
      eb.selectFrom('request_questions').select('id').where('request_id', '=', requestId).where('kind', '=', 'text'),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function saveLeaderNotes(db: Db, requestId: string, notes: string): Promise<void> {
  await db.updateTable('feedback_requests').set({ leader_notes: notes }).where('id', '=', requestId).execute();
}

/**
 * closed → released, once, with the next round's date (or none): a second click or a second
 * process finds nothing to update.
 */
export async function releaseRound(db: Db, requestId: string, now: Date, nextRoundOn: string | null): Promise<boolean> {
  const result = await db
    .updateTable('feedback_requests')
    .set({ status: 'released', released_at: now, next_round_on: nextRoundOn, next_round_emailed_at: null })
    .where('id', '=', requestId)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
