// The trend of a report: each agree statement's mean in every earlier round of the same
// manager that was released and met its threshold, oldest first. The means come out of the
// stored results (round_results) in SQL, one row per round and statement.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { answeredCount } from '../rounds/round-queries.ts';
import { closedRoundResults } from './round-results.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface TrendRow {
  requestId: string;
  /** When the round closed (or was released, for a round without a closing time). */
  on: Date;
  prompt: string;
  mean: number;
}

/** The earlier rounds a report's trend is drawn from: the rule of findReportRound's "previous", every one of them. */
async function earlierRounds(db: Db, round: { id: string; manager_id: string; created_at: Date }) {
  return db
    .selectFrom('feedback_requests as p')
    .leftJoin('round_results as res', 'res.request_id', 'p.id')
    .select(['p.id', 'p.anonymity_threshold', 'res.request_id as stored'])
    .where('p.manager_id', '=', round.manager_id)
    .where('p.id', '!=', round.id)
    .where('p.status', '=', 'released')
    .where('p.created_at', '<', round.created_at)
    .where((w) =>
      w(
        w.fn.coalesce('res.response_count', answeredCount(w.ref('p.id'), w.ref('p.response_count'))),
        '>=',
        w.ref('p.anonymity_threshold'),
      ),
    )
    .execute();
}

/**
 * The means of every earlier released round of the round's manager, per statement, oldest
 * round first. A round closed before results were stored gets its row first (written once).
 */
export async function earlierMeans(
  db: Db,
  round: { id: string; manager_id: string; created_at: Date },
  fallbackThreshold: number,
): Promise<TrendRow[]> {
  const rounds = await earlierRounds(db, round);
  if (rounds.length === 0) return [];
  for (const r of rounds.filter((r) => r.stored === null))
    await closedRoundResults(db, r.id, r.anonymity_threshold ?? fallbackThreshold);
  const rows = await db
    .selectFrom('feedback_requests as p')
    .innerJoin('round_results as res', 'res.request_id', 'p.id')
    .innerJoin(sql<{ q: unknown }>`jsonb_array_elements(res.figures)`.as('f'), (join) => join.onTrue())
    .select([
      'p.id as requestId',
      sql<Date>`coalesce(p.closed_at, p.released_at)`.as('on'),
      sql<string>`f.value ->> 'prompt'`.as('prompt'),
      sql<number>`(f.value ->> 'mean')::float8`.as('mean'),
    ])
    .where(
      'p.id',
      'in',
      rounds.map((r) => r.id),
    )
    .where(sql<boolean>`f.value ->> 'kind' = 'agree' and f.value ->> 'mean' is not null`)
    .orderBy('p.created_at')
    .orderBy(sql`(f.value ->> 'position')::int`)
    .execute();
  return rows.map((row) => ({ ...row, mean: Number(row.mean) }));
}
