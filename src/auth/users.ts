// Accounts: one per email address, made at first sign-in.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** At sign-in: the account, made if new, noting the language the browser asked for. */
export async function findOrCreateUser(db: Db, email: string, browserLanguage: string) {
  // Insert-or-update then read: safe when two sign-ins for a new address race.
  await db
    .insertInto('users')
    .values({ email, browser_language: browserLanguage })
    .onConflict((oc) => oc.column('email').doUpdateSet({ browser_language: browserLanguage }))
    .execute();
  return db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'time_zone'])
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

export async function setTimeZone(db: Db, userId: string, zone: string | null) {
  await db.updateTable('users').set({ time_zone: zone }).where('id', '=', userId).execute();
}

/**
 * A person's initials for the header on a phone, where the whole name does not fit: the first
 * letters of the first and last words of their name ("Lee Leader" → "LL"), else the first of
 * their address. Letters, not bytes: "Élodie Ørsted" → "ÉØ".
 */
export function initialsOf(person: { name?: string | null; email: string }): string {
  const words = (person.name ?? '').trim().split(/\s+/u).filter(Boolean);
  const first = (word: string | undefined) => (word ? Array.from(word)[0]! : '');
  const letters = words.length ? first(words[0]) + (words.length > 1 ? first(words.at(-1)) : '') : first(person.email);
  return letters.toLocaleUpperCase();
}

/**
 * The zone a person's days and hours are on: the one they chose, else the deployment's
 * TIME_ZONE. The one place that fallback is written.
 */
export function zoneOf(person: { timeZone?: string | null } | null | undefined, fallback: string): string {
  return person?.timeZone ?? fallback;
}

/**
 * The zone a round lives by: its leader's (a round closes at the end of the leader's closing
 * day, and its team's emails go out by the leader's clock). The leader may have no account yet.
 */
export async function leaderZone(db: Db, leaderEmail: string, fallback: string): Promise<string> {
  const row = await db.selectFrom('users').select('time_zone').where('email', '=', leaderEmail).executeTakeFirst();
  return zoneOf(row ? { timeZone: row.time_zone } : null, fallback);
}
