// Stores answers the way the survey does (one anonymous response, its answers), so report
// tests can build exact fixtures quickly.
import type { Kysely } from 'kysely';
import type { Insertable } from 'kysely';
import type { AnswersTable, Database } from '../../src/db/schema.ts';

/** Per question (by position): a scale value or choice index, 'na', a comment, or undefined. */
export type AnswerSpec = number | 'na' | string | undefined;

export async function addResponse(
  db: Kysely<Database>,
  requestId: string,
  questionIds: string[],
  answers: AnswerSpec[],
) {
  const response = await db
    .insertInto('responses')
    .values({ request_id: requestId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = answers.flatMap((answer, index): Array<Insertable<AnswersTable>> => {
    if (answer === undefined) return [];
    const question_id = questionIds[index]!;
    if (answer === 'na')
      return [{ response_id: response.id, question_id, value: null, not_applicable: true, text: null }];
    if (typeof answer === 'number')
      return [{ response_id: response.id, question_id, value: answer, not_applicable: false, text: null }];
    return [{ response_id: response.id, question_id, value: null, not_applicable: false, text: answer }];
  });
  if (rows.length) await db.insertInto('answers').values(rows).execute();
  return response.id;
}
