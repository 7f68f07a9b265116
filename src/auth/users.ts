// Accounts: one per email address, made at first sign-in.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function findOrCreateUser(db: Db, email: string) {
  // Insert-or-nothing then read: safe when two sign-ins for a new address race.
  await db
    .insertInto('users')
    .values({ email })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  return db
    .selectFrom('users')
    .select(['id', 'email', 'display_name'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
}

export async function setDisplayName(db: Db, userId: string, name: string) {
  await db.updateTable('users').set({ display_name: name }).where('id', '=', userId).execute();
}

/** The language the person with this address chose, if they have an account and chose one. */
export async function languageOf(db: Db, email: string): Promise<string | null | undefined> {
  return (await db.selectFrom('users').select('language').where('email', '=', email).executeTakeFirst())?.language;
}

/** Their language (a shipped one), or null to follow their browser's Accept-Language. */
export async function setLanguage(db: Db, userId: string, language: string | null) {
  await db.updateTable('users').set({ language }).where('id', '=', userId).execute();
}

/** Names someone who has no name yet (from their provider's claims); returns the name they now have. */
export async function setDisplayNameIfNone(db: Db, userId: string, name: string): Promise<string | null> {
  await db
    .updateTable('users')
    .set({ display_name: name })
    .where('id', '=', userId)
    .where('display_name', 'is', null)
    .execute();
  const row = await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirstOrThrow();
  return row.display_name;
}
