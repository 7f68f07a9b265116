// Deletes invitees' addresses once the loop after a round no longer needs them (the rule in
// words: addressesKeptUntil in src/domain/request-life.ts). A round's go INVITEE_RETENTION_DAYS
// after its close unless (a) its report is released and the reply to the team not sent, or
// (b) one of its focus points has not been asked about by a check-back that has closed; then
// as soon as neither holds; and INVITEE_RETENTION_MAX_DAYS after the close in any case. A
// check-back's own go INVITEE_RETENTION_DAYS after it closes, or with its round's.
//
// The invitations lose their email, the request records when, and the team's emails of it
// leave the outbox: those refused by the mail server still hold their address (and link), and
// the rest, blanked once sent (leavesNoTrail), go with them.
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { REPORT_STATUSES } from '../domain/request-life.ts';
import { addDays } from '../lib/dates.ts';
import { FORGOTTEN } from '../email/outbox.ts';

export interface PurgeOptions {
  now: Date;
  /** INVITEE_RETENTION_DAYS */
  retentionDays: number;
  /** INVITEE_RETENTION_MAX_DAYS */
  retentionMaxDays: number;
}

type Round = ExpressionBuilder<Database & { r: Database['feedback_requests'] }, 'r'>;

/** (a) Released, and the manager has not sent the reply to the team yet. */
const replyAwaited = (eb: Round) =>
  eb.and([
    eb('r.status', '=', 'released'),
    eb.not(
      eb.exists(
        eb
          .selectFrom('team_replies as t')
          .select(sql.lit(1).as('one'))
          .whereRef('t.request_id', '=', 'r.id')
          .where('t.sent_at', 'is not', null),
      ),
    ),
  ]);

/** (b) A focus point no closed check-back of this round has asked about: one may still come. */
const checkBackToCome = (eb: Round) =>
  eb.exists(
    eb
      .selectFrom('focus_points as fp')
      .select('fp.id')
      .whereRef('fp.request_id', '=', 'r.id')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('request_questions as q')
              .innerJoin('feedback_requests as c', 'c.id', 'q.request_id')
              .select('q.id')
              .whereRef('q.focus_point_id', '=', 'fp.id')
              .whereRef('c.check_back_of', '=', 'r.id')
              .where('c.kind', '=', 'check-back')
              .where('c.status', 'in', REPORT_STATUSES),
          ),
        ),
      ),
  );

/** The team's emails of a round and its loop, by name. */
const ROUND_EMAILS = ['invitation', 'reminder'];
const REPLY_EMAILS = ['reply-to-team'];
const CHECK_BACK_EMAILS = ['check-back-invitation', 'check-back-reminder'];

const latest = (dates: Date[]) => new Date(Math.max(...dates.map((date) => date.getTime())));

/** Resolves with how many rounds and check-backs it purged. Safe to run from several processes at once. */
export async function purgeExpiredInvitees(db: Kysely<Database>, opts: PurgeOptions): Promise<number> {
  const { now } = opts;
  const cutoff = addDays(now, -opts.retentionDays);
  const cap = addDays(now, -Math.max(opts.retentionDays, opts.retentionMaxDays));
  return db.transaction().execute(async (trx) => {
    // The conditional update claims each round once: a second runner waits on the row lock,
    // then finds invitees_purged_at set and skips it.
    const rounds = await trx
      .updateTable('feedback_requests as r')
      .set({ invitees_purged_at: now })
      .where('r.kind', '=', 'round')
      .where('r.invitees_purged_at', 'is', null)
      .where('r.closed_at', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('r.closed_at', '<=', cap),
          eb.and([eb('r.closed_at', '<=', cutoff), eb.not(replyAwaited(eb)), eb.not(checkBackToCome(eb))]),
        ]),
      )
      .returning(['r.id', 'r.closed_at'])
      .execute();
    // After the rounds, so a check-back goes in the same run as its round. One made after its
    // round's addresses were deleted (or in the same instant: it could not have copied them)
    // has a team the manager pasted again: that one is kept until its own close.
    const checkBacks = await trx
      .updateTable('feedback_requests as c')
      .set({ invitees_purged_at: now })
      .where('c.kind', '=', 'check-back')
      .where('c.invitees_purged_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb.and([eb('c.closed_at', 'is not', null), eb('c.closed_at', '<=', cutoff)]),
          eb.exists(
            eb
              .selectFrom('feedback_requests as r')
              .select('r.id')
              .whereRef('r.id', '=', 'c.check_back_of')
              .whereRef('r.invitees_purged_at', '>', 'c.created_at'),
          ),
        ]),
      )
      .returning(['c.id', 'c.closed_at'])
      .execute();
    if (!rounds.length && !checkBacks.length) return 0;
    const ids = [...rounds, ...checkBacks].map((request) => request.id);
    await deleteTeamEmails(trx, ids, await emailBounds(trx, rounds, checkBacks, now));
    await trx.updateTable('invitations').set({ email: null }).where('request_id', 'in', ids).execute();
    return ids.length;
  });
}

/**
 * Up to when each kind of team email can belong to the purged requests: a newer one to the
 * same address belongs to a later round (or check-back) and must still be delivered. Invitations
 * and reminders stop at the close, the reply when it was sent, a check-back's emails at its
 * close (now, for one still open whose round reached the cap).
 */
async function emailBounds(
  trx: Transaction<Database>,
  rounds: Array<{ id: string; closed_at: Date | null }>,
  checkBacks: Array<{ id: string; closed_at: Date | null }>,
  now: Date,
): Promise<Array<[string[], Date]>> {
  const bounds: Array<[string[], Date]> = [];
  if (rounds.length) {
    bounds.push([ROUND_EMAILS, latest(rounds.map((round) => round.closed_at!))]);
    const replies = await trx
      .selectFrom('team_replies')
      .select('sent_at')
      .where(
        'request_id',
        'in',
        rounds.map((round) => round.id),
      )
      .where('sent_at', 'is not', null)
      .execute();
    if (replies.length) bounds.push([REPLY_EMAILS, latest(replies.map((reply) => reply.sent_at!))]);
  }
  if (checkBacks.length)
    bounds.push([CHECK_BACK_EMAILS, latest(checkBacks.map((checkBack) => checkBack.closed_at ?? now))]);
  return bounds;
}

/**
 * Deletes the settled (sent or given-up) team emails of the purged requests: those still naming
 * one of their invitees, and, since a sent one names nobody and no round any more, every blank
 * one of that kind and time.
 */
async function deleteTeamEmails(trx: Transaction<Database>, ids: string[], bounds: Array<[string[], Date]>) {
  await trx
    .deleteFrom('email_outbox')
    .where('status', 'in', ['sent', 'failed'])
    .where((eb) =>
      eb.or(bounds.map(([names, bound]) => eb.and([eb('name', 'in', names), eb('created_at', '<=', bound)]))),
    )
    .where((eb) =>
      eb.or([
        eb('to_address', '=', FORGOTTEN.to_address),
        eb(
          'to_address',
          'in',
          eb
            .selectFrom('invitations')
            .select('email')
            .where('request_id', 'in', ids)
            .where('email', 'is not', null)
            .$castTo<string>(),
        ),
      ]),
    )
    .execute();
}
