// For the survey tests: form fields that answer a survey round's sample questions, and what
// the database holds afterwards. The round itself comes from surveyRound in
// tests/helpers/factories.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { type SurveyRound } from '../helpers/factories.ts';

/** Every sample question answered: agree 4, agree "not applicable", choice "Monthly", a comment. */
export function fullAnswers(round: SurveyRound, comment = 'Keeps our one-on-ones.'): Record<string, string> {
  return { [round.field(0)]: '4', [round.field(1)]: 'na', [round.field(2)]: '1', [round.field(3)]: comment };
}

export async function storedFor(db: Kysely<Database>, requestId: string) {
  const responses = await db.selectFrom('responses').select('id').where('request_id', '=', requestId).execute();
  const answers = responses.length
    ? await db
        .selectFrom('answers')
        .selectAll()
        .where(
          'response_id',
          'in',
          responses.map((r) => r.id),
        )
        .execute()
    : [];
  return { responses, answers };
}

export async function ballotCount(db: Kysely<Database>, requestId: string) {
  const rows = await db.selectFrom('ballots').select('token_hash').where('request_id', '=', requestId).execute();
  return rows.length;
}
