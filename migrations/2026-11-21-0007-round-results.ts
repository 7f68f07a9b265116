// A closed round's results, computed once when it closes: a closed round never changes (its
// ballots are gone and responses are only stored while it is open), so the report reads this
// row instead of aggregating every answer on every view. One row per closed round, written in
// the transaction that closes it; a round closed before this table existed gets its row at
// the first view of its report.
//
// The figures are stored as the report shows them: suppressed under `threshold` (the round's
// own, recorded at launch), so no count below k is copied out of `answers`.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('round_results')
    .addColumn('request_id', 'uuid', (col) => col.primaryKey().references('feedback_requests.id').onDelete('cascade'))
    /** The anonymity threshold the figures were suppressed with. */
    .addColumn('threshold', 'integer', (col) => col.notNull())
    .addColumn('response_count', 'integer', (col) => col.notNull())
    /** Per agree or choice question, in order: src/reports/aggregate.ts QuestionFigures. */
    .addColumn('figures', 'jsonb', (col) => col.notNull())
    .addColumn('computed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('round_results').execute();
}
