// Single-use sign-in links: a 256-bit random token goes into the email, its hash into the
// table. Spending is one conditional update, so a link signs in once even when clicked twice.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hashToken, randomToken } from '../lib/tokens.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const SIGN_IN_LINK_MINUTES = 10;

export async function createSignInToken(
  db: Db,
  email: string,
  nextPath: string | undefined,
  now: Date,
): Promise<string> {
  const token = randomToken(32);
  await db
    .insertInto('sign_in_tokens')
    .values({
      token_hash: hashToken(token),
      email,
      next_path: nextPath ?? null,
      created_at: now,
      expires_at: new Date(now.getTime() + SIGN_IN_LINK_MINUTES * 60_000),
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
