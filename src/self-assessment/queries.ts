// The manager's own answers about themself (issue 19). They live in self_answers, a table of
// their own keyed by the question: signed, never beside the team's anonymous answers, and
// never read by anything that counts the team (round-results, participation, threshold).
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SelfAnswersTable } from '../db/schema.ts';
import type { NewAnswer } from '../survey/queries.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type SelfAnswer = Pick<Selectable<SelfAnswersTable>, 'question_id' | 'value' | 'not_applicable' | 'text'>;

/** The manager's saved answers to a round's questions, in no particular order. */
export function selfAnswersOf(db: Db, requestId: string): Promise<SelfAnswer[]> {
  return db
    .selectFrom('self_answers')
    .select(['question_id', 'value', 'not_applicable', 'text'])
    .where('request_id', '=', requestId)
    .execute();
}

/** When the manager last saved their answers, or null if they never have (or saved none). */
export async function selfAssessmentSavedAt(db: Db, requestId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('self_answers')
    .select((eb) => eb.fn.max('updated_at').as('saved_at'))
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return row?.saved_at ? new Date(row.saved_at) : null;
}

/**
 * Locks the round's row while it is open, so that a close waits for this save (or this save
 * finds the round closed): false when it is no longer open, or its closing moment has passed.
 */
export async function lockOpenRound(trx: Transaction<Database>, requestId: string, now: Date): Promise<boolean> {
  const row = await trx
    .selectFrom('feedback_requests')
    .select('id')
    .where('id', '=', requestId)
    .where('status', '=', 'open')
    .where('closes_at', '>', now)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Replaces the manager's answers with `answers`: a question left unanswered this time loses
 * its earlier answer. Each row is upserted on its question, so a save never stores two.
 */
export async function replaceSelfAnswers(
  trx: Transaction<Database>,
  requestId: string,
  answers: NewAnswer[],
  now: Date,
): Promise<void> {
  const kept = answers.map((answer) => answer.questionId);
  let stale = trx.deleteFrom('self_answers').where('request_id', '=', requestId);
  if (kept.length) stale = stale.where('question_id', 'not in', kept);
  await stale.execute();
  if (!kept.length) return;
  await trx
    .insertInto('self_answers')
    .values(
      answers.map((answer) => ({
        question_id: answer.questionId,
        request_id: requestId,
        value: answer.value,
        not_applicable: answer.notApplicable,
        text: answer.text,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.column('question_id').doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        not_applicable: eb.ref('excluded.not_applicable'),
        text: eb.ref('excluded.text'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
