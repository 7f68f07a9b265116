// For the survey tests: form fields that answer a survey round's sample questions, and what
// the database holds afterwards. The round itself comes from surveyRound in
// tests/helpers/factories.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { type SurveyRound } from '../helpers/factories.ts';
import { TEST_SECRET } from '../helpers/app.ts';
import { questionsOf } from '../../src/rounds/round-queries.ts';
import { openSealed, roundKey } from '../../src/survey/sealing.ts';

/** Every sample question answered: agree 4, agree "not applicable", choice "Monthly", a comment. */
export function fullAnswers(round: SurveyRound, comment = 'Keeps our one-on-ones.'): Record<string, string> {
  return { [round.field(0)]: '4', [round.field(1)]: 'na', [round.field(2)]: '1', [round.field(3)]: comment };
}

/**
 * What a round holds while open: its sealed rows, and their answers as opened with the test
 * app's secret (in the shape of the answers a close writes, plus the sealed row each came from).
 */
export async function storedFor(db: Kysely<Database>, requestId: string) {
  const responses = await db
    .selectFrom('sealed_responses')
    .select(['id', 'sealed'])
    .where('request_id', '=', requestId)
    .execute();
  const layout = await questionsOf(db, requestId);
  const key = roundKey(TEST_SECRET, requestId);
  const answers = responses.flatMap((response) =>
    openSealed(key, layout, response.sealed).map((answer) => ({
      response_id: response.id,
      question_id: answer.questionId,
      value: answer.value,
      not_applicable: answer.notApplicable,
      text: answer.text,
    })),
  );
  return { responses: responses.map(({ id }) => ({ id })), answers };
}

/** The round's links not spent yet. */
export async function ballotCount(db: Kysely<Database>, requestId: string) {
  const rows = await db
    .selectFrom('survey_links')
    .select('key')
    .where('request_id', '=', requestId)
    .where('spent', '=', false)
    .execute();
  return rows.length;
}
