// Email addresses: one validation, one normal form (trimmed, lower-cased), one domain rule.
import { z } from 'zod';

export const emailAddress = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'That address is too long.')
  .pipe(z.email({ error: 'Enter an email address like name@example.com.' }))
  .transform((email) => email.toLowerCase());

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * The mailbox an address delivers to, for telling whether two addresses reach one person:
 * `mia+team@example.com` and `Mia@example.com` are the same mailbox at most providers, so
 * a manager cannot add themself to their own team as someone else.
 */
export function mailboxOf(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at).toLowerCase();
  const plus = local.indexOf('+');
  return `${plus === -1 ? local : local.slice(0, plus)}@${domainOf(email)}`;
}

export const sameMailbox = (a: string, b: string) => mailboxOf(a) === mailboxOf(b);

/** ALLOWED_EMAIL_DOMAINS limits who can sign in, be named leader or be invited. */
export function isAllowedEmail(allowedDomains: readonly string[] | undefined, email: string): boolean {
  return !allowedDomains || allowedDomains.includes(domainOf(email));
}
