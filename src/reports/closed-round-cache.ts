// A closed round never changes: its ballots are gone and a response is only stored while the
// round is open (src/survey), so its count and per-question figures are final. They are
// computed once, when the round closes, and stored in `round_results` (round-results.ts); a
// round closed before that table existed gets its row here, at the first view. On top of the
// table each process keeps what it read, since it can never go stale. Comments are not
// cached: the leader hides and shows them.
import type { Kysely } from 'kysely';
import type { Database, RequestStatus } from '../db/schema.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';
import { countResponses } from '../rounds/round-queries.ts';
import { questionFigures, type QuestionFigures } from './aggregate.ts';
import { readRoundResults, storeRoundResults, type RoundResults } from './round-results.ts';

const stored = new BoundedCache<RoundResults>(1_000);
/** The rare figures for a threshold other than the stored one (see round-results.ts). */
const otherThreshold = new BoundedCache<QuestionFigures[]>(100);

type Round = { id: string; status: RequestStatus };

export const isFinal = (round: Pick<Round, 'status'>) => round.status === 'closed' || round.status === 'released';

/**
 * A closed round's stored results: read from the table once per process, or computed and
 * stored (once, whichever process is first) when the round closed before the table existed.
 * `threshold` is the round's own (thresholdOf), used only when the row has to be written.
 */
export function closedRoundResults(db: Kysely<Database>, requestId: string, threshold: number): Promise<RoundResults> {
  return stored.get(
    requestId,
    async () => (await readRoundResults(db, requestId)) ?? (await storeRoundResults(db, requestId, threshold)),
  );
}

/** questionFigures, from the stored results once the round has closed. Treat the result as read-only. */
export async function roundFigures(db: Kysely<Database>, round: Round, threshold: number): Promise<QuestionFigures[]> {
  if (!isFinal(round)) return questionFigures(db, round.id, threshold);
  const results = await closedRoundResults(db, round.id, threshold);
  if (results.threshold === threshold) return results.figures;
  return otherThreshold.get(`${round.id}:${threshold}`, () => questionFigures(db, round.id, threshold));
}

/** countResponses, from the stored results once the round has closed. */
export async function roundResponses(db: Kysely<Database>, round: Round, threshold: number): Promise<number> {
  if (!isFinal(round)) return countResponses(db, round.id);
  return (await closedRoundResults(db, round.id, threshold)).responses;
}
