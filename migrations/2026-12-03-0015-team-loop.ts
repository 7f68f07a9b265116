// Closing the loop with the team (issue 20, PRODUCT.md "From feedback to a better working
// relationship", points 4 and 5): the manager's reply to everyone who was invited, and the
// check-back, a short anonymous round to the same team about the focus points.
//
// A check-back is a feedback request of its own kind, so it is a round in every respect
// (links, sealing, the rewrite at close, the threshold locked at launch, reminders); it
// points to the round it checks back on, and each of its agree questions to its focus point.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('feedback_requests')
    .addColumn('kind', 'text', (col) =>
      col
        .notNull()
        .defaultTo('round')
        .check(sql`kind in ('round', 'check-back')`),
    )
    .addColumn('check_back_of', 'uuid', (col) => col.references('feedback_requests.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createIndex('feedback_requests_check_back_of_idx')
    .on('feedback_requests')
    .column('check_back_of')
    .where(sql.ref('check_back_of'), 'is not', null)
    .execute();

  await db.schema
    .alterTable('request_questions')
    .addColumn('focus_point_id', 'uuid', (col) => col.references('focus_points.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('team_replies')
    .addColumn('request_id', 'uuid', (col) => col.primaryKey().references('feedback_requests.id').onDelete('cascade'))
    /** "What I heard", as the manager wrote it. */
    .addColumn('heard', 'text', (col) => col.notNull().defaultTo(''))
    /** "What I'll do". */
    .addColumn('will_do', 'text', (col) => col.notNull().defaultTo(''))
    /** Whether the report's summary figures (those shown to the manager) go with it. */
    .addColumn('include_figures', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('sent_at', 'timestamptz')
    /** How many team members it was sent to: their addresses are deleted later, the count stays. */
    .addColumn('sent_count', 'integer')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('team_replies').execute();
  await db.schema.alterTable('request_questions').dropColumn('focus_point_id').execute();
  await db.schema.dropIndex('feedback_requests_check_back_of_idx').execute();
  await db.schema.alterTable('feedback_requests').dropColumn('check_back_of').dropColumn('kind').execute();
}
