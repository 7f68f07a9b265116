// "Start a follow-up round": a new draft for the same manager and leader, with copies of the
// previous round's questions and team, linked to it through previous_request_id.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays, dayOf, endOfDay } from '../lib/dates.ts';
import type { ReportRound } from './queries.ts';

/** Days until the new draft closes; the manager can change it before submitting. */
export const FOLLOW_UP_ROUND_DAYS = 14;

/** A follow-up draft already started from this round: a second click opens it again. */
export function findFollowUpDraft(trx: Transaction<Database>, previousId: string) {
  return trx
    .selectFrom('feedback_requests')
    .select('id')
    .where('previous_request_id', '=', previousId)
    .where('status', '=', 'draft')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/**
 * Copies questions and invitee addresses with insert … select, in the caller's transaction.
 * Once the team's addresses were purged after the last round, the list starts empty.
 */
export async function createFollowUpRound(
  trx: Transaction<Database>,
  previous: ReportRound,
  now: Date,
): Promise<{ id: string; teamPurged: boolean }> {
  const draft = await trx
    .insertInto('feedback_requests')
    .values({
      manager_id: previous.manager_id,
      leader_email: previous.leader_email,
      status: 'draft',
      template_id: previous.template_id,
      closes_at: endOfDay(dayOf(addDays(now, FOLLOW_UP_ROUND_DAYS))),
      decline_reason: null,
      anonymity_threshold: null,
      invited_count: null,
      previous_request_id: previous.id,
      created_at: now,
      submitted_at: null,
      decided_at: null,
      launched_at: null,
      closed_at: null,
      invitees_purged_at: null,
      released_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    insert into request_questions (request_id, position, kind, prompt, required, choices)
    select ${draft.id}::uuid, position, kind, prompt, required, choices
    from request_questions where request_id = ${previous.id}::uuid`.execute(trx);
  // Purged invitations keep their rows with email null; those are skipped.
  await sql`
    insert into invitations (request_id, email)
    select distinct ${draft.id}::uuid, email
    from invitations where request_id = ${previous.id}::uuid and email is not null`.execute(trx);
  return { id: draft.id, teamPurged: previous.invitees_purged_at !== null };
}
