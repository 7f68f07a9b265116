// The round's timed work, run beside the email worker (`npm start`, `npm run worker`):
// close rounds whose time is up, send due reminders, purge invitee addresses once the loop
// after a round no longer needs them (purge-invitees.ts), nudge leader and manager on the follow-up dates of focus points, ask both how it is going
// a couple of days after their one-on-one (one-on-one-check-ins.ts), email the manager on the
// next round's date (next-round-emails.ts), and
// prune expired sessions, sign-in links, rate limit counters and old emails (prune-records.ts). Every step claims its rows in the database, so any number of processes
// may run these jobs at once and each thing still happens exactly once.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { closeRound, dueRoundIds, vacuumAfterClose } from '../rounds/close-round.ts';
import { dropEndedPartitions } from '../rounds/sealed-partitions.ts';
import { sendDueReminders } from '../rounds/send-reminders.ts';
import { purgeExpiredInvitees } from './purge-invitees.ts';
import { sendDueFollowUpNudges } from './follow-up-nudges.ts';
import { sendDueNextRoundEmails } from './next-round-emails.ts';
import { sendDueCheckIns } from './one-on-one-check-ins.ts';
import { pruneExpiredRecords, type PruneConfig, type Pruned } from './prune-records.ts';

export interface RoundJobsDeps {
  db: Kysely<Database>;
  clock: Clock;
  config: Pick<
    Config,
    | 'BASE_URL'
    | 'SESSION_SECRET'
    | 'INVITEE_RETENTION_DAYS'
    | 'INVITEE_RETENTION_MAX_DAYS'
    | 'ANONYMITY_THRESHOLD'
    | 'TIME_ZONE'
  > &
    PruneConfig;
  logger: Logger;
  /** How often to look for work; a minute is plenty for dates picked by the day. */
  intervalMs?: number;
}

export interface RoundJobsRun {
  closed: number;
  reminders: number;
  purged: number;
  nudges: number;
  /** Managers emailed that their next round is due. */
  nextRounds: number;
  /** "How's that going?" emails queued after one-on-ones. */
  checkIns: number;
  /** Expired sessions, sign-in links, rate limit counters and old emails deleted. */
  pruned: Pruned;
}

export interface RoundJobs {
  runOnce(): Promise<RoundJobsRun>;
  start(): void;
  /** Stops the timer and waits for a run in flight. */
  stop(): Promise<void>;
}

export function createRoundJobs(deps: RoundJobsDeps): RoundJobs {
  const { db, clock, config, logger } = deps;
  const intervalMs = deps.intervalMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> | undefined;

  async function closeDueRounds(): Promise<number> {
    let closed = 0;
    for (const id of await dueRoundIds(db, clock.now())) {
      if (await closeRound(db, id, { config, clock }, { dueOnly: true })) closed++;
    }
    if (closed)
      await vacuumAfterClose(db).catch((error: Error) => logger.warn({ err: error }, 'could not vacuum after closing'));
    // Partitions of rounds that ended without a close here (a deleted request), or whose drop
    // gave up after an earlier close: tried again at every run.
    else
      await dropEndedPartitions(db).catch((error: Error) =>
        logger.warn({ err: error }, 'could not drop the partitions of ended rounds'),
      );
    return closed;
  }

  async function runOnce(): Promise<RoundJobsRun> {
    // Closing first: a round whose time is up gets no last reminder.
    const closed = await closeDueRounds();
    const reminders = await sendDueReminders(db, { config, clock });
    const purged = await purgeExpiredInvitees(db, {
      now: clock.now(),
      retentionDays: config.INVITEE_RETENTION_DAYS,
      retentionMaxDays: config.INVITEE_RETENTION_MAX_DAYS,
    });
    const nudges = await sendDueFollowUpNudges(db, { clock, config });
    const nextRounds = await sendDueNextRoundEmails(db, { clock, config });
    const checkIns = await sendDueCheckIns(db, { clock, config });
    const pruned = await pruneExpiredRecords(db, { now: clock.now(), config });
    const prunedAny = Object.values(pruned).some(Boolean);
    if (closed || reminders || purged || nudges || nextRounds || checkIns || prunedAny)
      logger.info({ closed, reminders, purged, nudges, nextRounds, checkIns, pruned }, 'round jobs ran');
    return { closed, reminders, purged, nudges, nextRounds, checkIns, pruned };
  }

  function tick() {
    inFlight = runOnce()
      .catch((error: Error) => logger.error({ err: error }, 'round jobs failed; trying again at the next interval'))
      .finally(() => {
        inFlight = undefined;
        if (timer) timer = setTimeout(tick, intervalMs);
      });
  }

  return {
    runOnce,
    start() {
      if (timer) return;
      timer = setTimeout(tick, 0);
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
