// "Start a follow-up round": a new draft for the same manager and leader, with copies of the
// previous round's questions and team, linked to it through previous_request_id.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays, dayOf, endOfDayIn } from '../lib/dates.ts';
import { leaderZone } from '../auth/users.ts';
import { insertDraft } from '../requests/queries.ts';
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
  defaultZone: string,
): Promise<{ id: string; teamPurged: boolean }> {
  // Closing on the leader's clock, as every round does.
  const zone = await leaderZone(trx, previous.leader_email, defaultZone);
  const id = await insertDraft(trx, {
    managerId: previous.manager_id,
    leaderEmail: previous.leader_email,
    templateId: previous.template_id,
    closesAt: endOfDayIn(dayOf(addDays(now, FOLLOW_UP_ROUND_DAYS), zone), zone),
    previousRequestId: previous.id,
    now,
  });
  // The team is asked again in the language it was asked in last time.
  await sql`
    update feedback_requests set survey_language = previous.survey_language
    from feedback_requests as previous
    where feedback_requests.id = ${id}::uuid and previous.id = ${previous.id}::uuid`.execute(trx);
  await sql`
    insert into request_questions (request_id, position, kind, prompt, required, choices)
    select ${id}::uuid, position, kind, prompt, required, choices
    from request_questions where request_id = ${previous.id}::uuid`.execute(trx);
  // Purged invitations keep their rows with email null; those are skipped.
  await sql`
    insert into invitations (request_id, email)
    select distinct ${id}::uuid, email
    from invitations where request_id = ${previous.id}::uuid and email is not null`.execute(trx);
  return { id, teamPurged: previous.invitees_purged_at !== null };
}
