// Languages (issue 21): a signed-in person's language, and each round's survey language, the
// one its team is invited, reminded and asked in. Language codes name a catalogue in locales/
// ("en", "de", …); the list is not fixed here, so adding a language needs no migration.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Null until the person picks one: their browser's Accept-Language decides meanwhile.
  await db.schema.alterTable('users').addColumn('language', 'text').execute();
  // Rounds made before languages were English; new ones take their manager's language.
  await db.schema
    .alterTable('feedback_requests')
    .addColumn('survey_language', 'text', (col) => col.notNull().defaultTo('en'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('feedback_requests').dropColumn('survey_language').execute();
  await db.schema.alterTable('users').dropColumn('language').execute();
}
