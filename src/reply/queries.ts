// The team_replies table (one row per round, made at the first save) and the round's team as
// the reply reaches it: the invitations that still have an address. Callers own the transaction.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface ReplyDraft {
  heard: string;
  willDo: string;
  includeFigures: boolean;
}

export function findTeamReply(db: Db, requestId: string) {
  return db.selectFrom('team_replies').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

export type TeamReply = NonNullable<Awaited<ReturnType<typeof findTeamReply>>>;

/** When the reply went out, for the leader's pages: null while it has not. */
export async function replySentAt(db: Db, requestId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('team_replies')
    .select('sent_at')
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return row?.sent_at ?? null;
}

/**
 * Saves the draft, unless the reply was sent already: a sent reply never changes (the
 * `where` on the conflict). Resolves false then.
 */
export async function saveDraft(db: Db, requestId: string, draft: ReplyDraft, now: Date): Promise<boolean> {
  const fields = { heard: draft.heard, will_do: draft.willDo, include_figures: draft.includeFigures, updated_at: now };
  const saved = await db
    .insertInto('team_replies')
    .values({ request_id: requestId, ...fields, created_at: now })
    .onConflict((oc) => oc.column('request_id').doUpdateSet(fields).where('team_replies.sent_at', 'is', null))
    .returning('request_id')
    .executeTakeFirst();
  return saved !== undefined;
}

/**
 * Marks the reply sent, once: only the caller whose update finds it unsent gets true, so a
 * double click or a second tab sends nothing more.
 */
export async function markSent(db: Db, requestId: string, count: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('team_replies')
    .set({ sent_at: now, sent_count: count, updated_at: now })
    .where('request_id', '=', requestId)
    .where('sent_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * When the round's addresses were deleted (null: still kept), with the round's row locked
 * until the caller's transaction ends: the purge (src/jobs/purge-invitees.ts) updates that
 * row first, so it either finished before (and this sees its date) or waits until the reply
 * is queued.
 */
export async function lockAddressesPurgedAt(trx: Transaction<Database>, requestId: string): Promise<Date | null> {
  const row = await trx
    .selectFrom('feedback_requests')
    .select('invitees_purged_at')
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.invitees_purged_at;
}
