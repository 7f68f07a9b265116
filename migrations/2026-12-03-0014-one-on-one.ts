// The one-on-one after a round (issue 19, PRODUCT.md "From feedback to a better working
// relationship"): the manager's self-assessment, the leader's agenda and calendar invitation,
// the "How's that going?" email a couple of days after, and the date of the next round.
//
// The self-assessment is the manager's own, signed answers: a table of its own, keyed by the
// question, never beside the team's anonymous answers and never counted with them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('self_answers')
    .addColumn('question_id', 'uuid', (col) => col.primaryKey().references('request_questions.id').onDelete('cascade'))
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .addColumn('value', 'integer')
    .addColumn('not_applicable', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('text', 'text')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('self_answers_request_idx').on('self_answers').column('request_id').execute();

  await db.schema
    .createTable('one_on_ones')
    .addColumn('request_id', 'uuid', (col) => col.primaryKey().references('feedback_requests.id').onDelete('cascade'))
    /** The leader's agenda, as edited; '' until saved (the page then offers the one built from the report). */
    .addColumn('agenda', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('starts_at', 'timestamptz')
    /** An IANA zone name: the invitation's DTSTART and DTEND are given in it. */
    .addColumn('time_zone', 'text')
    .addColumn('minutes', 'integer')
    .addColumn('place', 'text', (col) => col.notNull().defaultTo(''))
    /** The calendar invitation's SEQUENCE: 0 when first sent, one more for every change. */
    .addColumn('sequence', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('cancelled_at', 'timestamptz')
    /** When "How's that going?" is due: a couple of days after the meeting. */
    .addColumn('check_in_due_at', 'timestamptz')
    .addColumn('checked_in_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('one_on_ones_check_in_idx')
    .on('one_on_ones')
    .column('check_in_due_at')
    .where(sql.ref('checked_in_at'), 'is', null)
    .execute();

  await db.schema
    .alterTable('feedback_requests')
    /** YYYY-MM-DD: when the manager is invited to start the follow-up round. */
    .addColumn('next_round_on', 'text')
    .addColumn('next_round_emailed_at', 'timestamptz')
    .execute();

  // An email may carry a calendar invitation (text/calendar, RFC 5545) beside its HTML and text.
  await db.schema.alterTable('email_outbox').addColumn('calendar', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('email_outbox').dropColumn('calendar').execute();
  await db.schema
    .alterTable('feedback_requests')
    .dropColumn('next_round_on')
    .dropColumn('next_round_emailed_at')
    .execute();
  await db.schema.dropTable('one_on_ones').execute();
  await db.schema.dropTable('self_answers').execute();
}
