// Deletes invitees' addresses once a closed round is INVITEE_RETENTION_DAYS old: the
// invitations lose their email, the round records when, and the round's invitations and
// reminders leave the outbox: those refused by the mail server still hold their address and
// link, and the rest, blanked once sent (leavesNoTrail), go with them.
import { type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../lib/dates.ts';
import { FORGOTTEN } from '../email/outbox.ts';

/** Resolves with how many rounds it purged. Safe to run from several processes at once. */
export async function purgeExpiredInvitees(
  db: Kysely<Database>,
  opts: { now: Date; retentionDays: number },
): Promise<number> {
  const cutoff = addDays(opts.now, -opts.retentionDays);
  return db.transaction().execute(async (trx) => {
    // The conditional update claims each round once: a second runner waits on the row lock,
    // then finds invitees_purged_at set and skips it.
    const purged = await trx
      .updateTable('feedback_requests')
      .set({ invitees_purged_at: opts.now })
      .where('closed_at', 'is not', null)
      .where('closed_at', '<=', cutoff)
      .where('invitees_purged_at', 'is', null)
      .returning(['id', 'closed_at'])
      .execute();
    if (!purged.length) return 0;
    const ids = purged.map((round) => round.id);
    const lastClose = new Date(Math.max(...purged.map((round) => round.closed_at!.getTime())));
    // Only emails created before the rounds closed and already settled: a newer invitation
    // to the same address belongs to a later round and must still be delivered. A sent one
    // names nobody and no round any more, so every blank one of that time goes too.
    await trx
      .deleteFrom('email_outbox')
      .where('name', 'in', ['invitation', 'reminder'])
      .where('status', 'in', ['sent', 'failed'])
      .where('created_at', '<=', lastClose)
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
    await trx.updateTable('invitations').set({ email: null }).where('request_id', 'in', ids).execute();
    return purged.length;
  });
}
