// Data that has served its purpose leaves the database on a clock, run with the round jobs:
// sessions past their idle or absolute limit, sign-in links a day after they expired (used
// ones expire too, ten minutes after they were made; the day keeps "already used" messages
// right), rate limit counters whose window is over, and sent or given-up emails
// OUTBOX_RETENTION_DAYS after they were made (they hold addresses and single-use links).
// Each is one plain DELETE, so any number of processes may run it at once.
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { addDays } from '../lib/dates.ts';

export type PruneConfig = Pick<Config, 'SESSION_IDLE_MINUTES' | 'SESSION_MAX_HOURS' | 'OUTBOX_RETENTION_DAYS'>;

export interface Pruned {
  sessions: number;
  signInTokens: number;
  rateLimits: number;
  emails: number;
}

/** How long a sign-in link's row stays after it expired. */
export const SIGN_IN_TOKEN_GRACE_DAYS = 1;

export async function pruneExpiredRecords(
  db: Kysely<Database>,
  opts: { now: Date; config: PruneConfig },
): Promise<Pruned> {
  const { now, config } = opts;
  const idleBefore = new Date(now.getTime() - config.SESSION_IDLE_MINUTES * 60_000);
  const startedBefore = new Date(now.getTime() - config.SESSION_MAX_HOURS * 3_600_000);
  const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', startedBefore)]))
    .executeTakeFirst();
  const signInTokens = await db
    .deleteFrom('sign_in_tokens')
    .where('expires_at', '<', addDays(now, -SIGN_IN_TOKEN_GRACE_DAYS))
    .executeTakeFirst();
  const rateLimits = await db.deleteFrom('rate_limits').where('reset_at', '<=', now).executeTakeFirst();
  // Pending and sending rows are never touched, however old: they have yet to go out.
  const emails = await db
    .deleteFrom('email_outbox')
    .where('status', 'in', ['sent', 'failed'])
    .where('created_at', '<', addDays(now, -config.OUTBOX_RETENTION_DAYS))
    .executeTakeFirst();
  return {
    sessions: count(sessions),
    signInTokens: count(signInTokens),
    rateLimits: count(rateLimits),
    emails: count(emails),
  };
}
