// Invitee addresses the leader should look at before launching. The threshold only protects
// anyone if every address is a different person of the manager's team: a manager who adds
// addresses they read themself answers in those places, reaches the threshold, and can work
// out the real person's answers from the figures. The submit form already refuses the
// manager's and the leader's own inboxes (requests/edit-form.ts); what it cannot tell from a
// real colleague is marked here, for the leader, who knows the team, to confirm:
//
// - outside: the domain is neither the manager's nor the leader's (nor a subdomain of one);
// - like the manager: the part before the @, compared without a +tag and with only its
//   letters and digits, is the manager's (at any domain), or contains it when that is at
//   least 3 characters long, or contains every word of the manager's name;
// - same inbox: it differs from another invitee's only by a +tag or dots, which many mail
//   services deliver to one inbox.
//
// A mark is a question, not a verdict: the leader confirms the marked addresses at launch.
import { domainOf, mailboxOf } from '../lib/email-address.ts';
import { intlLocale, t, type Locale } from '../i18n/translate.ts';

export interface RoundPeopleForCheck {
  managerEmail: string;
  /** The manager's display name, or null when they gave none. */
  managerName: string | null;
  leaderEmail: string;
}

export interface AddressToCheck {
  email: string;
  /** Why, in plain words and the leader's language, one sentence each. */
  reasons: string[];
}

/** Lower case, accents dropped: "Renée" is "renee". */
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Letters and digits only. */
const compact = (text: string) => fold(text).replace(/[^a-z0-9]/g, '');

const localPart = (email: string) => mailboxOf(email).slice(0, mailboxOf(email).lastIndexOf('@'));

/** The address with its +tag and its dots removed: what many services deliver alike. */
const inboxKey = (email: string) => `${localPart(email).replaceAll('.', '')}@${domainOf(email)}`;

const within = (domain: string, home: string) => domain === home || domain.endsWith(`.${home}`);

function looksLikeManager(email: string, people: RoundPeopleForCheck): boolean {
  const local = compact(localPart(email));
  const manager = compact(localPart(people.managerEmail));
  if (local === manager || (manager.length >= 3 && local.includes(manager))) return true;
  const words = fold(people.managerName ?? '')
    .split(/[^a-z]+/)
    .filter((word) => word.length >= 2);
  return words.join('').length >= 3 && words.every((word) => local.includes(word));
}

/** "a, b or c", the language's way. */
const orList = (items: readonly string[], locale: Locale) =>
  new Intl.ListFormat(intlLocale(locale), { type: 'disjunction' }).format(items);

/** The invitees to check, each with its reasons, in the order given; the rest are not listed. */
export function addressesToCheck(
  invitees: readonly string[],
  people: RoundPeopleForCheck,
  locale: Locale,
): AddressToCheck[] {
  const homes = [...new Set([domainOf(people.managerEmail), domainOf(people.leaderEmail)])];
  const manager = people.managerName ?? people.managerEmail;
  const byInbox = Map.groupBy(invitees, inboxKey);
  const checks: AddressToCheck[] = [];
  for (const email of invitees) {
    const reasons: string[] = [];
    if (!homes.some((home) => within(domainOf(email), home)))
      reasons.push(t(locale, 'collect.checks.outside', { domains: orList(homes, locale), managerName: manager }));
    if (looksLikeManager(email, people))
      reasons.push(
        t(locale, 'collect.checks.likeManager', { managerName: manager, managerEmail: people.managerEmail }),
      );
    const twins = byInbox.get(inboxKey(email))!.filter((other) => other !== email);
    if (twins.length) reasons.push(t(locale, 'collect.checks.sameInbox', { others: orList(twins, locale) }));
    if (reasons.length) checks.push({ email, reasons });
  }
  return checks;
}
