// A closed round never changes: its ballots are gone and a response is only stored while the
// round is open (src/survey), so its count and per-question figures are final. They are
// computed at the first view in each process and kept, instead of re-aggregating every
// answer (100,000 responses: about a million rows) on every page view. Comments are not
// cached: the leader hides and shows them.
import type { Kysely } from 'kysely';
import type { Database, RequestStatus } from '../db/schema.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';
import { questionFigures, responseCount, type QuestionFigures } from './aggregate.ts';

const figures = new BoundedCache<QuestionFigures[]>(1_000);
const counts = new BoundedCache<number>(10_000);

type Round = { id: string; status: RequestStatus };

const isFinal = (round: Round) => round.status === 'closed' || round.status === 'released';

/** questionFigures, from the cache once the round has closed. Treat the result as read-only. */
export function roundFigures(db: Kysely<Database>, round: Round, threshold: number): Promise<QuestionFigures[]> {
  if (!isFinal(round)) return questionFigures(db, round.id, threshold);
  return figures.get(`${round.id}:${threshold}`, () => questionFigures(db, round.id, threshold));
}

/** responseCount, from the cache once the round has closed. */
export function roundResponses(db: Kysely<Database>, round: Round): Promise<number> {
  if (!isFinal(round)) return responseCount(db, round.id);
  return counts.get(round.id, () => responseCount(db, round.id));
}
