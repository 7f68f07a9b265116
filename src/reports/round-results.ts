// A closed round's results, computed once and stored in `round_results`
// (migrations/2026-11-21-0007-round-results.ts): the response count and the per-question
// figures, aggregated in SQL by aggregate.ts. A closed round never changes, so the row is
// written once, by the transaction that closes the round (src/rounds/close-round.ts), or at
// the first view of a round closed before the table existed, and never updated.
//
// Threshold: the figures are stored suppressed under the threshold they were computed with
// (the round's own, recorded at launch), never as raw counts, so no count below k is copied
// out of `answers`. The row records that threshold; a caller asking for another one (a round
// launched before thresholds were recorded, on a deployment whose ANONYMITY_THRESHOLD changed
// since) gets figures computed on the fly instead (see closed-round-cache.ts).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { countResponses } from '../rounds/round-queries.ts';
import { questionFigures, type QuestionFigures } from './aggregate.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface RoundResults {
  /** The anonymity threshold the figures were suppressed with. */
  threshold: number;
  responses: number;
  figures: QuestionFigures[];
}

/** Aggregates the round now, in SQL. */
export async function computeRoundResults(db: Db, requestId: string, threshold: number): Promise<RoundResults> {
  const responses = await countResponses(db, requestId);
  const figures = await questionFigures(db, requestId, threshold);
  return { threshold, responses, figures };
}

/**
 * Computes the round's results and stores them, unless a row is already there (another
 * process, or an earlier call, got there first: `on conflict do nothing`, so it is written
 * once). Resolves with what this call computed, which equals any row already stored with the
 * same threshold. Only for a round that has closed: its responses are final.
 */
export async function storeRoundResults(db: Db, requestId: string, threshold: number): Promise<RoundResults> {
  const results = await computeRoundResults(db, requestId, threshold);
  await db
    .insertInto('round_results')
    .values({
      request_id: requestId,
      threshold,
      response_count: results.responses,
      figures: JSON.stringify(results.figures),
    })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute();
  return results;
}

/** The stored results of a round, if it has them. */
export async function readRoundResults(db: Db, requestId: string): Promise<RoundResults | undefined> {
  const row = await db
    .selectFrom('round_results')
    .select(['threshold', 'response_count', 'figures'])
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  if (!row) return undefined;
  return { threshold: row.threshold, responses: row.response_count, figures: row.figures as QuestionFigures[] };
}
