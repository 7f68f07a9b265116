// The language of an email to a signed-in person (a manager or a leader): the one they chose
// on the account page, else the one their browser asked for at their last sign-in, else the
// language of whoever's action sends it (a leader who never signed in reads the request in
// its manager's language), else English. A team member's emails use the round's survey
// language instead.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { localeOr, type Locale } from './translate.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface LanguageColumns {
  language: string | null;
  browser_language: string | null;
}

/** From a users row already read (both columns selected). */
export const personLocale = (person: LanguageColumns | null | undefined, fallback?: Locale | null): Locale =>
  localeOr(person?.language ?? person?.browser_language ?? fallback);

/** From the address, for someone who may have no account yet. */
export async function emailLocaleOf(db: Db, email: string, fallback?: Locale | null): Promise<Locale> {
  const person = await db
    .selectFrom('users')
    .select(['language', 'browser_language'])
    .where('email', '=', email)
    .executeTakeFirst();
  return personLocale(person, fallback);
}
