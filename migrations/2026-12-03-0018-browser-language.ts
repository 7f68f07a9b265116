// The language a person's browser asked for when they last signed in (issue 21). Emails to
// someone who never chose a language on the account page are written in it, as their pages
// are: a job sending a nudge has no browser to ask.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('browser_language', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('browser_language').execute();
}
