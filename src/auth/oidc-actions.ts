// Signing in with the provider, once openid-client has checked its answer (state, PKCE, the
// ID token's signature, issuer, audience, expiry and nonce): the claims decide who it is.
// The account, the name and the new session are written in one transaction, as for a link.
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { emailAddress, isAllowedEmail } from '../lib/email-address.ts';
import { displayNameForm } from './schemas.ts';
import type { SessionUser, SignInDeps } from './actions.ts';
import type { Locale } from '../i18n/translate.ts';
import { findOrCreateUser, setDisplayNameIfNone } from './users.ts';

/** Why verified claims still sign no one in; each has its own page (oidc-problems.ts). */
export type ClaimsProblem = 'no-email' | 'unverified-email' | 'domain';

/** The ID token's claims, as openid-client verified them; only email, email_verified and name are read. */
export type OidcClaims = Readonly<Record<string, unknown>>;

/**
 * The person is found (or made) by the email address, and only one the provider says it has
 * verified: an unverified address could be anyone's, and would open that person's account.
 */
export async function signInWithOidc(
  deps: Pick<SignInDeps, 'db' | 'config'>,
  claims: OidcClaims,
  startSession: (trx: Transaction<Database>, user: SessionUser) => Promise<void>,
  /** The language of the page that finished the sign-in: their emails' until they choose one. */
  browserLocale: Locale,
): Promise<{ user: SessionUser } | { problem: ClaimsProblem }> {
  const email = emailAddress.safeParse(claims['email']);
  if (!email.success) return { problem: 'no-email' };
  if (claims['email_verified'] !== true) return { problem: 'unverified-email' };
  if (!isAllowedEmail(deps.config.ALLOWED_EMAIL_DOMAINS, email.data)) return { problem: 'domain' };
  // A name the provider holds is used only when the person has none yet, and only one our own form would take.
  const name = displayNameForm.shape.name.safeParse(claims['name']);
  return deps.db.transaction().execute(async (trx) => {
    const row = await findOrCreateUser(trx, email.data, browserLocale);
    const displayName = row.display_name ?? (name.success ? await setDisplayNameIfNone(trx, row.id, name.data) : null);
    const user = { id: row.id, email: row.email, name: displayName, timeZone: row.time_zone };
    await startSession(trx, user);
    return { user };
  });
}
