// The queries behind a report page: the round with its people, the previous round to compare
// with, the leader's hidden comments and notes, and the release. Callers own the transaction.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, FeedbackRequestsTable } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type ReportRound = Selectable<FeedbackRequestsTable> & {
  managerName: string;
  managerEmail: string;
  leaderName: string;
};

/** The request with both people's names (their address when they gave no name). */
export async function findReportRound(db: Db, requestId: string): Promise<ReportRound | undefined> {
  const row = await db
    .selectFrom('feedback_requests as r')
    .innerJoin('users as manager', 'manager.id', 'r.manager_id')
    .leftJoin('users as leader', 'leader.email', 'r.leader_email')
    .selectAll('r')
    .select(['manager.email as managerEmail', 'manager.display_name as managerDisplayName', 'leader.display_name as leaderDisplayName'])
    .where('r.id', '=', requestId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { managerDisplayName, leaderDisplayName, ...round } = row;
  return { ...round, managerName: managerDisplayName ?? row.managerEmail, leaderName: leaderDisplayName ?? row.leader_email };
}

/**
 * The round to compare with: the same manager's latest earlier request that was released and
 * met its own threshold (counted in SQL), so its figures could be shown.
 */
export async function findPreviousReleasedRound(db: Db, round: Pick<ReportRound, 'id' | 'manager_id' | 'created_at'>) {
  return db
    .selectFrom('feedback_requests as r')
    .select(['r.id', 'r.closed_at', 'r.released_at', 'r.anonymity_threshold'])
    .where('r.manager_id', '=', round.manager_id)
    .where('r.id', '!=', round.id)
    .where('r.status', '=', 'released')
    .where('r.created_at', '<', round.created_at)
    .where((eb) =>
      eb(
        eb.selectFrom('responses').select((s) => s.fn.countAll<number>().as('n')).whereRef('responses.request_id', '=', 'r.id'),
        '>=',
        eb.ref('r.anonymity_threshold'),
      ),
    )
    .orderBy('r.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
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

/** closed → released, once: a second click or a second process finds nothing to update. */
export async function releaseRound(db: Db, requestId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('feedback_requests')
    .set({ status: 'released', released_at: now })
    .where('id', '=', requestId)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
