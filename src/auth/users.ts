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
