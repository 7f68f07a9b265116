// Single-use sign-in links: a 256-bit random token goes into the email, its hash into the
// table. Spending is one conditional update, so a link signs in once even when clicked twice.
//
// How many links an address is sent (docs/SECURITY.md, "Sign-in links per address"): while
// one still works, asking again sends none, so the person uses the link they have; and each
// link that goes unused makes the next one last twice as long, up to a limit. Someone who
// keeps asking for another person's address thus sends them a few emails a day, and can
// never leave them without a working link.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hashToken, randomToken } from '../lib/tokens.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const SIGN_IN_LINK_LIFE = {
  /** The life of a link when none before it went unused. */
  firstMinutes: 10,
  /** The longest life, reached after a few unused links in a row. */
  longestMinutes: 120,
  /** Unused links older than this no longer lengthen the next one. */
  memoryHours: 24,
};

/** A link's life in minutes, when `unusedBefore` links to its address went unused before it. */
export function signInLinkMinutes(unusedBefore: number): number {
  return Math.min(SIGN_IN_LINK_LIFE.firstMinutes * 2 ** unusedBefore, SIGN_IN_LINK_LIFE.longestMinutes);
}

/**
 * Holds the address until the caller's transaction ends, so that requests for it that
 * arrive together take turns: the second finds the link the first made, and sends none.
 */
export async function lockAddress(trx: Transaction<Database>, email: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${email}`}, 0))`.execute(trx);
}

/**
 * The links sent to `email` since it last signed in (within SIGN_IN_LINK_LIFE.memoryHours)
 * and never used: how many, and whether one of them still works.
 */
export async function unusedLinks(db: Db, email: string, now: Date): Promise<{ count: number; working: boolean }> {
  const since = new Date(now.getTime() - SIGN_IN_LINK_LIFE.memoryHours * 3_600_000);
  const row = await db
    .selectFrom('sign_in_tokens')
    .select((eb) => [
      eb.fn.countAll<string>().as('count'),
      eb.fn.countAll<string>().filterWhere('expires_at', '>', now).as('working'),
    ])
    .where('email', '=', email)
    .where('used_at', 'is', null)
    // greatest() passes over the null of an address that never signed in.
    .where(
      'created_at',
      '>',
      sql<Date>`greatest(${since}, (select max(used_at) from sign_in_tokens where email = ${email}))`,
    )
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), working: Number(row.working) > 0 };
}

export async function createSignInToken(
  db: Db,
  email: string,
  nextPath: string | undefined,
  now: Date,
  minutes = SIGN_IN_LINK_LIFE.firstMinutes,
): Promise<string> {
  const token = randomToken(32);
  await db
    .insertInto('sign_in_tokens')
    .values({
      token_hash: hashToken(token),
      email,
      next_path: nextPath ?? null,
      created_at: now,
      expires_at: new Date(now.getTime() + minutes * 60_000),
    })
    .execute();
  return token;
}

export type TokenProblem = 'unknown' | 'used' | 'expired';

/** Why a token cannot be used, or undefined when it can. */
export async function checkSignInToken(db: Db, token: string, now: Date) {
  const row = await db
    .selectFrom('sign_in_tokens')
    .select(['email', 'expires_at', 'used_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  const problem: TokenProblem | undefined = !row
    ? 'unknown'
    : row.used_at
      ? 'used'
      : row.expires_at <= now
        ? 'expired'
        : undefined;
  return { problem, email: row?.email };
}

/** Marks the token used if it still can be; returns its email and next path, or undefined. */
export function spendSignInToken(db: Db, token: string, now: Date) {
  return db
    .updateTable('sign_in_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['email', 'next_path'])
    .executeTakeFirst();
}
