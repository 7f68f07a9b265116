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
// since) gets figures computed on the fly instead (roundFigures).
import type { Kysely, Transaction } from 'kysely';
import type { Database, RequestStatus } from '../db/schema.ts';
import { hasReport } from '../domain/request-life.ts';
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

/**
 * A closed round's stored results: its row, or, for a round closed before the table existed,
 * computed and stored now (once, whichever view is first). `threshold` is the round's own
 * (thresholdInForce), used only when the row has to be written.
 */
export async function closedRoundResults(db: Db, requestId: string, threshold: number): Promise<RoundResults> {
  return (await readRoundResults(db, requestId)) ?? (await storeRoundResults(db, requestId, threshold));
}

type Round = { id: string; status: RequestStatus };

/**
 * A round's figures under `threshold`: the stored ones once it has its report; computed in SQL
 * while it is open, or for a threshold other than the stored one (the rare legacy case above).
 */
export async function roundFigures(db: Db, round: Round, threshold: number): Promise<QuestionFigures[]> {
  if (!hasReport(round)) return questionFigures(db, round.id, threshold);
  const results = await closedRoundResults(db, round.id, threshold);
  return results.threshold === threshold ? results.figures : questionFigures(db, round.id, threshold);
}

/** A round's response count: the stored one once it has its report, counted while it is open. */
export async function roundResponses(db: Db, round: Round, threshold: number): Promise<number> {
  if (!hasReport(round)) return countResponses(db, round.id);
  return (await closedRoundResults(db, round.id, threshold)).responses;
}
