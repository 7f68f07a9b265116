// Signing in, as use cases that own their transaction and the emails they queue: ask for a
// link (queued in the transaction that stores its hash), spend it (the token, the account
// and the new session in one transaction, so a link signs in once), and name oneself.
import { paths } from '../http/paths.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { isAllowedEmail } from '../lib/email-address.ts';
import { safeLocalPath } from '../lib/safe-redirect.ts';
import { queueEmail } from '../email/outbox.ts';
import { createSignInToken, lockAddress, signInLinkMinutes, spendSignInToken, unusedLinks } from './sign-in-tokens.ts';
import { findOrCreateUser, languageOf, setDisplayName, setLanguage, setTimeZone } from './users.ts';
import { localeOr, type Locale } from '../i18n/translate.ts';

export interface SignInDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'BASE_URL' | 'ALLOWED_EMAIL_DOMAINS'>;
  clock: Clock;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  timeZone: string | null;
}

/**
 * Emails a sign-in link that returns to `next`, unless the address holds a link that still
 * works: then nothing is sent, and the person uses that one (sign-in-tokens.ts says why).
 * Someone outside the allowed domains gets no email either. The caller answers every case
 * alike, so the page tells nobody who can sign in or who was sent a link.
 */
export async function requestSignInLink(
  deps: SignInDeps,
  email: string,
  next: unknown,
  /** The language of the page it was asked from; the person's own choice, if they made one, wins. */
  browserLocale: Locale,
): Promise<void> {
  const { db, config, clock } = deps;
  if (!isAllowedEmail(config.ALLOWED_EMAIL_DOMAINS, email)) return;
  await db.transaction().execute(async (trx) => {
    const now = clock.now();
    await lockAddress(trx, email);
    const unused = await unusedLinks(trx, email, now);
    if (unused.working) return;
    const minutes = signInLinkMinutes(unused.count);
    const token = await createSignInToken(trx, email, safeLocalPath(next), now, minutes);
    const locale = localeOr((await languageOf(trx, email)) ?? browserLocale);
    const link = `${config.BASE_URL}${paths.signInLink(token)}`;
    await queueEmail(trx, { to: email, name: 'sign-in-link', data: { link, minutes, locale } }, deps);
  });
}

/**
 * Spends the link and starts the session in one transaction; undefined when the link can no
 * longer be spent (used, expired, unknown), and then nothing is written.
 */
export async function signInWithLink(
  deps: Pick<SignInDeps, 'db' | 'clock'>,
  token: string,
  startSession: (trx: Transaction<Database>, user: SessionUser) => Promise<void>,
  /** The language of the page the link was spent on: their emails' until they choose one. */
  browserLocale: Locale,
): Promise<{ user: SessionUser; next: string | undefined } | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    const spent = await spendSignInToken(trx, token, deps.clock.now());
    if (!spent) return undefined;
    const row = await findOrCreateUser(trx, spent.email, browserLocale);
    const user = { id: row.id, email: row.email, name: row.display_name, timeZone: row.time_zone };
    await startSession(trx, user);
    return { user, next: safeLocalPath(spent.next_path) };
  });
}

/** A shipped language for their pages and emails, or null to follow their browser. */
export async function chooseLanguage(deps: Pick<SignInDeps, 'db'>, user: SessionUser, language: string | null) {
  await setLanguage(deps.db, user.id, language);
}

export async function nameYourself(deps: Pick<SignInDeps, 'db'>, user: SessionUser, name: string): Promise<void> {
  await setDisplayName(deps.db, user.id, name);
}

/** The zone the person's dates are shown and their rounds closed in; null returns to the deployment's. */
export async function chooseTimeZone(
  deps: Pick<SignInDeps, 'db'>,
  user: SessionUser,
  zone: string | null,
): Promise<void> {
  await setTimeZone(deps.db, user.id, zone);
}
