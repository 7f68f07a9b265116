// The names a round's emails and pages show: the manager's and the leader's display names,
// or their addresses when they have not given a name (the leader may never have signed in).
import type { LanguageColumns } from '../i18n/recipients.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Database, RequestKind } from '../db/schema.ts';
import type { Config } from '../config.ts';
import { addressesKeptWords, retentionOf } from '../domain/request-life.ts';
import { zoneOf } from '../auth/users.ts';
import { offsetAt } from '../lib/dates.ts';
import { formatDateTimeIn } from '../i18n/format.ts';
import type { Locale } from '../i18n/translate.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface RoundPeople {
  managerName: string;
  managerEmail: string;
  leaderName: string;
  leaderEmail: string;
  /** Each one's chosen zone, null for the deployment's (auth/users.ts zoneOf). */
  managerZone: string | null;
  leaderZone: string | null;
  /** Each one's language columns, for their emails (i18n/recipients.ts personLocale); the leader's null without an account. */
  managerLanguages: LanguageColumns;
  leaderLanguages: LanguageColumns | null;
}

export async function roundPeople(db: Db, requestId: string): Promise<RoundPeople> {
  const row = await db
    .selectFrom('feedback_requests as r')
    .innerJoin('users as manager', 'manager.id', 'r.manager_id')
    .leftJoin('users as leader', 'leader.email', 'r.leader_email')
    .select([
      'manager.email as managerEmail',
      'manager.display_name as managerDisplayName',
      'r.leader_email as leaderEmail',
      'leader.display_name as leaderDisplayName',
      'manager.time_zone as managerZone',
      'leader.time_zone as leaderZone',
      'manager.language as managerLanguage',
      'manager.browser_language as managerBrowserLanguage',
      'leader.language as leaderLanguage',
      'leader.browser_language as leaderBrowserLanguage',
      'leader.id as leaderId',
    ])
    .where('r.id', '=', requestId)
    .executeTakeFirstOrThrow();
  return {
    managerName: row.managerDisplayName ?? row.managerEmail,
    managerEmail: row.managerEmail,
    leaderName: row.leaderDisplayName ?? row.leaderEmail,
    leaderEmail: row.leaderEmail,
    managerZone: row.managerZone,
    leaderZone: row.leaderZone ?? null,
    managerLanguages: { language: row.managerLanguage, browser_language: row.managerBrowserLanguage },
    leaderLanguages: row.leaderId
      ? { language: row.leaderLanguage ?? null, browser_language: row.leaderBrowserLanguage ?? null }
      : null,
  };
}

/** The zone a round lives by: its leader's, else the deployment's (auth/users.ts zoneOf). */
export async function roundZone(db: Db, requestId: string, fallback: string): Promise<string> {
  const row = await db
    .selectFrom('feedback_requests as r')
    .leftJoin('users as leader', 'leader.email', 'r.leader_email')
    .select('leader.time_zone')
    .where('r.id', '=', requestId)
    .executeTakeFirst();
  return zoneOf({ timeZone: row?.time_zone ?? null }, fallback);
}

/**
 * When a round closes, for its team, who have no account and so no zone of their own: on the
 * leader's clock (`zone`), and in UTC beside it where that reads differently. The survey page
 * and the team's emails say it so.
 */
export function closingTimeForTeam(closesAt: Date, zone: string, locale: Locale): string {
  const local = formatDateTimeIn(locale, closesAt, zone);
  return offsetAt(closesAt, zone) === 0 ? local : `${local} (${formatDateTimeIn(locale, closesAt, 'UTC')})`;
}

/**
 * What every email to a round's team says of it, in the round's language: who asks, who
 * collects, when it closes (closingTimeForTeam, on the leader's clock), and the threshold.
 */
export function teamEmailBasics(
  people: Awaited<ReturnType<typeof roundPeople>>,
  round: { closesAt: Date; threshold: number; locale: Locale },
  deploymentZone: string,
) {
  return {
    managerName: people.managerName,
    leaderName: people.leaderName,
    closesOn: closingTimeForTeam(round.closesAt, zoneOf({ timeZone: people.leaderZone }, deploymentZone), round.locale),
    threshold: round.threshold,
    locale: round.locale,
  };
}

/**
 * What an invitation to a round's team says beside the basics: how long the address it went to
 * is kept (a round's rule or a check-back's, request-life.ts addressesKeptWords).
 */
export function teamInvitationBasics(
  people: Awaited<ReturnType<typeof roundPeople>>,
  round: { kind: RequestKind; closesAt: Date; threshold: number; locale: Locale },
  config: Pick<Config, 'TIME_ZONE' | 'INVITEE_RETENTION_DAYS' | 'INVITEE_RETENTION_MAX_DAYS'>,
) {
  return {
    ...teamEmailBasics(people, round, config.TIME_ZONE),
    addressesKept: addressesKeptWords(
      { kind: round.kind, managerName: people.managerName },
      retentionOf(config),
      round.locale,
    ),
  };
}
