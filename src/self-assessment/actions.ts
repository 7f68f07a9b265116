// Saving the manager's self-assessment: one use case, one transaction, no email. The round
// must still be open when the answers are written (the row lock in lockOpenRound makes a close
// at the same moment wait, or this save find it closed).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import type { NewAnswer } from '../survey/queries.ts';
import { lockOpenRound, replaceSelfAnswers } from './queries.ts';

export interface SelfAssessmentDeps {
  db: Kysely<Database>;
  clock: Clock;
}

/** Replaces the manager's answers about themself; 'closed' once the round no longer takes them. */
export function saveSelfAssessment(
  deps: SelfAssessmentDeps,
  requestId: string,
  answers: NewAnswer[],
): Promise<'saved' | 'closed'> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    if (!(await lockOpenRound(trx, requestId, now))) return 'closed';
    await replaceSelfAnswers(trx, requestId, answers, now);
    return 'saved';
  });
}
