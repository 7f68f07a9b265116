// Shared set-up for the survey tests: a round with a named manager and leader, and form
// fields that answer its sample questions.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { createOpenRound, createUser } from '../helpers/factories.ts';

export const CLOSING_DAY = '2026-11-20';

let rounds = 0;

/** An open round closing at the end of CLOSING_DAY, managed by "Morgan Manager". */
export async function surveyRound(db: Kysely<Database>, opts: { leaderName?: string | null; teamNote?: string } = {}) {
  const n = rounds++;
  const manager = await createUser(db, { name: 'Morgan Manager' });
  const leaderEmail = `leader-${n}-${Date.now()}@example.com`;
  if (opts.leaderName !== null) await createUser(db, { email: leaderEmail, name: opts.leaderName ?? 'Lee Leader' });
  const round = await createOpenRound(db, {
    managerId: manager.id,
    leaderEmail,
    closesAt: endOfDay(CLOSING_DAY),
    invitees: [1, 2, 3, 4, 5].map((i) => `member-${n}-${i}@example.com`),
  });
  if (opts.teamNote)
    await db
      .updateTable('feedback_requests')
      .set({ team_note: opts.teamNote })
      .where('id', '=', round.request.id)
      .execute();
  const field = (position: number) => `q-${round.questions[position]!.id}`;
  return { ...round, leaderEmail, field, path: (i = 0) => `/s/${round.tokens[i]}` };
}

export type SurveyRound = Awaited<ReturnType<typeof surveyRound>>;

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
