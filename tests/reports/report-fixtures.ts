// Closed and released rounds with known answers, for the report tests. The answers follow
// SAMPLE_QUESTIONS: agree, agree, choice (Weekly, Monthly), text.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { createOpenRound, createUser, type QuestionSpec } from '../helpers/factories.ts';
import { addResponse, type AnswerSpec } from '../helpers/responses.ts';
import { csrfTokenIn, type TestClient } from '../helpers/client.ts';

/** Five people; the second statement has two answers (below k = 3), so it is suppressed. */
export const FIXTURE: AnswerSpec[][] = [
  [5, 'na', 0, 'Keep the weekly check-ins'],
  [4, 2, 1, 'More focus time'],
  [4, 'na', 0, undefined],
  [2, 3, undefined, 'Clearer goals'],
  [5, 'na', 0, undefined],
];

export interface RoundSpec {
  managerId: string;
  leaderEmail: string;
  answers?: AnswerSpec[][];
  status?: 'open' | 'closed' | 'released';
  threshold?: number;
  /** When the request was made; earlier rounds are compared with later ones. */
  createdAt?: string;
  questions?: QuestionSpec[];
  invitees?: string[];
}

export async function createAnsweredRound(db: Kysely<Database>, spec: RoundSpec) {
  const now = new Date(spec.createdAt ?? '2026-11-02T09:00:00Z');
  const round = await createOpenRound(db, { ...spec, now, threshold: spec.threshold ?? 3 });
  const questionIds = round.questions.map((q) => q.id);
  for (const answers of spec.answers ?? FIXTURE) await addResponse(db, round.request.id, questionIds, answers);
  const status = spec.status ?? 'closed';
  if (status !== 'open') {
    const closedAt = new Date(now.getTime() + 14 * 86_400_000);
    await db
      .updateTable('feedback_requests')
      .set({
        status,
        closed_at: closedAt,
        released_at: status === 'released' ? new Date(closedAt.getTime() + 86_400_000) : null,
      })
      .where('id', '=', round.request.id)
      .execute();
  }
  return { id: round.request.id, questionIds, questions: round.questions };
}

/** A manager, their leader (with an account) and someone unrelated. */
export async function createPeople(db: Kysely<Database>) {
  const manager = await createUser(db, { name: 'Mira Manager' });
  const leader = await createUser(db, { name: 'Leo Leader' });
  const stranger = await createUser(db, { name: 'Sam Stranger' });
  return { manager, leader, stranger };
}

export function commentIds(db: Kysely<Database>, requestId: string) {
  return db
    .selectFrom('answers')
    .innerJoin('request_questions as q', 'q.id', 'answers.question_id')
    .select(['answers.id', 'answers.text'])
    .where('q.request_id', '=', requestId)
    .where('answers.text', 'is not', null)
    .execute();
}

/** A CSRF token for the client's session: from any page with a form (the header has one). */
export async function csrfTokenOf(client: TestClient, signedIn = true): Promise<string> {
  const page = await client.get(signedIn ? '/account' : '/sign-in');
  return csrfTokenIn(page.html);
}
