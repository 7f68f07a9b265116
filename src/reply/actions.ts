// The reply's state changes, each one use case that owns its transaction and the emails it
// queues: save the draft, and send it once to every team member who still has an address.
// The routes check who may first (the manager, once the report is released).
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { queueEmails } from '../email/outbox.ts';
import type { EmailData } from '../email/definitions.ts';
import { findTeamReply, lockAddressesPurgedAt, markSent, saveDraft, type ReplyDraft } from './queries.ts';
import { inviteesOf } from '../rounds/round-queries.ts';

export interface ReplyDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'BASE_URL'>;
  clock: Clock;
}

export async function saveReplyDraft(
  deps: Pick<ReplyDeps, 'db' | 'clock'>,
  requestId: string,
  draft: ReplyDraft,
): Promise<'saved' | 'already-sent'> {
  return (await saveDraft(deps.db, requestId, draft, deps.clock.now())) ? 'saved' : 'already-sent';
}

export type SendOutcome =
  | { outcome: 'sent'; count: number }
  | { outcome: 'already-sent' }
  /** The addresses were deleted (`purgedAt`, or null when no invitation had one): nobody to send to. */
  | { outcome: 'addresses-gone'; purgedAt: Date | null };

/**
 * Saves the reply as previewed and sends it: one 'reply-to-team' email per invitation that
 * still has an address, queued in the transaction that marks the reply sent. The mark is a
 * conditional update, so a double click, a second tab or a second process sends nothing more.
 * `email` builds the email's data from the draft (the same for every team member).
 */
export async function sendReply(
  deps: ReplyDeps,
  requestId: string,
  draft: ReplyDraft,
  email: (draft: ReplyDraft) => EmailData<'reply-to-team'>,
): Promise<SendOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const purgedAt = await lockAddressesPurgedAt(trx, requestId);
    if ((await findTeamReply(trx, requestId))?.sent_at) return { outcome: 'already-sent' };
    const addresses = purgedAt ? [] : await inviteesOf(trx, requestId);
    if (!addresses.length) return { outcome: 'addresses-gone', purgedAt };
    await saveDraft(trx, requestId, draft, now);
    if (!(await markSent(trx, requestId, addresses.length, now))) return { outcome: 'already-sent' };
    const data = email(draft);
    await queueEmails(
      trx,
      addresses.map((to) => ({ to, name: 'reply-to-team' as const, data })),
      deps,
    );
    return { outcome: 'sent', count: addresses.length };
  });
}
