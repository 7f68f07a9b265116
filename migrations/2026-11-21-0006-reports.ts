// Reports: the leader's private notes and the release, comments the leader hides because
// they would identify their author, and the focus points agreed in the one-on-one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('feedback_requests')
    .addColumn('leader_notes', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('released_at', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('answers')
    .addColumn('hidden', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute();

  await db.schema
    .createTable('focus_points')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('follow_up_on', 'date', (col) => col.notNull())
    .addColumn('created_by', 'uuid', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('done_at', 'timestamptz')
    .addColumn('nudged_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('focus_points_request').on('focus_points').column('request_id').execute();
  await db.schema.createIndex('focus_points_due').on('focus_points').columns(['nudged_at', 'follow_up_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('focus_points').execute();
  await db.schema.alterTable('answers').dropColumn('hidden').execute();
  await db.schema.alterTable('feedback_requests').dropColumn('leader_notes').dropColumn('released_at').execute();
}
