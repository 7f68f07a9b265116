// A manager's requests in the database. Every query is scoped by manager_id, so a request
// that is not the caller's is simply not found. State changes are conditional updates on
// the current status: of two tabs submitting at once, exactly one changes the row.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, QuestionKind, RequestStatus } from '../db/schema.ts';
import { EDITABLE_STATUSES, REPORT_STATUSES } from '../domain/request-life.ts';
import { answeredCount } from '../rounds/round-queries.ts';
import { templateQuestionIn } from './template-language.ts';
import { templateQuestions } from './templates-queries.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Statuses in which the manager may still change the request. */
const EDITABLE: RequestStatus[] = [...EDITABLE_STATUSES];

/** A new draft request row: everything a later step sets starts empty. */
export async function insertDraft(
  trx: Transaction<Database>,
  draft: {
    managerId: string;
    leaderEmail: string;
    templateId: string | null;
    closesAt: Date;
    previousRequestId: string | null;
    now: Date;
    /** The team's language; the database's default (English) when not given. */
    surveyLanguage?: string;
  },
): Promise<string> {
  const { id } = await trx
    .insertInto('feedback_requests')
    .values({
      manager_id: draft.managerId,
      leader_email: draft.leaderEmail,
      status: 'draft',
      template_id: draft.templateId,
      closes_at: draft.closesAt,
      decline_reason: null,
      anonymity_threshold: null,
      invited_count: null,
      previous_request_id: draft.previousRequestId,
      created_at: draft.now,
      submitted_at: null,
      decided_at: null,
      launched_at: null,
      closed_at: null,
      invitees_purged_at: null,
      released_at: null,
      survey_language: draft.surveyLanguage,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A new draft, with its own copy of the template's questions when it starts from one. */
export async function createDraft(
  trx: Transaction<Database>,
  draft: { managerId: string; templateId: string | null; closesAt: Date; now: Date; surveyLanguage: string },
): Promise<string> {
  const id = await insertDraft(trx, { ...draft, leaderEmail: '', previousRequestId: null });
  if (draft.templateId) {
    // The request gets its own copy, in its survey language: later changes to the template never reach it.
    const questions = await templateQuestions(trx, draft.templateId);
    if (questions.length)
      await trx
        .insertInto('request_questions')
        .values(
          questions.map(({ slug, ...question }) => {
            const { prompt, choices } = templateQuestionIn(draft.surveyLanguage, slug, question);
            return { ...question, request_id: id, prompt, choices: sql<string>`${JSON.stringify(choices)}::jsonb` };
          }),
        )
        .execute();
  }
  return id;
}

export function findOwnRequest(db: Db, id: string, managerId: string) {
  return (
    db
      .selectFrom('feedback_requests')
      .selectAll()
      .where('id', '=', id)
      .where('manager_id', '=', managerId)
      // A check-back (issue 20) is no request of theirs: it lives in the round's report.
      .where('kind', '=', 'round')
      .executeTakeFirst()
  );
}

export type OwnRequest = NonNullable<Awaited<ReturnType<typeof findOwnRequest>>>;

/**
 * The manager's requests, newest first. `answered` is counted only once the round has
 * closed: while it is open the number never leaves the database for the manager.
 */
export function listOwnRequests(db: Db, managerId: string) {
  return (
    db
      .selectFrom('feedback_requests as r')
      .leftJoin('users as leader', 'leader.email', 'r.leader_email')
      .select((eb) => [
        'r.id',
        'r.status',
        'r.leader_email',
        'leader.display_name as leader_name',
        'r.closes_at',
        'r.created_at',
        'r.submitted_at',
        'r.closed_at',
        eb
          .case()
          .when('r.status', 'in', [...REPORT_STATUSES])
          .then(answeredCount(eb.ref('r.id'), eb.ref('r.response_count')))
          .end()
          .as('answered'),
        // Set at launch; until then (and for older rows) the invitation list tells.
        eb.fn
          .coalesce(
            'r.invited_count',
            eb
              .selectFrom('invitations')
              .select((c) => c.fn.countAll<number>().as('n'))
              .whereRef('invitations.request_id', '=', 'r.id'),
          )
          .as('invited'),
      ])
      .where('r.manager_id', '=', managerId)
      // Check-backs are the round's, shown in its report, not requests of the manager's.
      .where('r.kind', '=', 'round')
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id')
      .execute()
  );
}

export interface StoredDraft {
  leaderEmail: string;
  closesAt: Date;
  note: string;
  surveyLanguage: string;
  questions: Array<{ kind: QuestionKind; prompt: string; required: boolean; choices: string[] }>;
  invitees: string[];
}

/**
 * Stores everything typed, only while the request is still editable. Returns false (and
 * writes nothing) when it no longer is, e.g. another tab submitted it meanwhile. The
 * conditional update comes first so it locks the row for the rest of the transaction.
 */
export async function storeDraft(
  trx: Transaction<Database>,
  id: string,
  managerId: string,
  draft: StoredDraft,
): Promise<boolean> {
  const updated = await trx
    .updateTable('feedback_requests')
    .set({
      leader_email: draft.leaderEmail,
      closes_at: draft.closesAt,
      manager_note: draft.note,
      survey_language: draft.surveyLanguage,
    })
    .where('id', '=', id)
    .where('manager_id', '=', managerId)
    .where('status', 'in', EDITABLE)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return false;
  // Drafts have no answers yet, so their questions and invitations are simply replaced.
  await trx.deleteFrom('request_questions').where('request_id', '=', id).execute();
  if (draft.questions.length) {
    await trx
      .insertInto('request_questions')
      .values(
        draft.questions.map((q, position) => ({
          request_id: id,
          position,
          kind: q.kind,
          prompt: q.prompt,
          required: q.required,
          choices: sql<string>`${JSON.stringify(q.choices)}::jsonb`,
        })),
      )
      .execute();
  }
  await trx.deleteFrom('invitations').where('request_id', '=', id).execute();
  if (draft.invitees.length) {
    await trx
      .insertInto('invitations')
      .values(draft.invitees.map((email) => ({ request_id: id, email })))
      .execute();
  }
  return true;
}

/**
 * Sends the request to the leader; false when it was not editable (already submitted). A
 * request sent again after a decline awaits a fresh decision, so the old one is cleared.
 */
export async function markSubmitted(
  trx: Transaction<Database>,
  id: string,
  managerId: string,
  now: Date,
): Promise<boolean> {
  const updated = await trx
    .updateTable('feedback_requests')
    .set({ status: 'submitted', submitted_at: now, decline_reason: null, decided_at: null })
    .where('id', '=', id)
    .where('manager_id', '=', managerId)
    .where('status', 'in', EDITABLE)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

/** A declined request goes back to being a draft the manager can change and send again. */
export async function reopenDeclined(db: Db, id: string, managerId: string): Promise<boolean> {
  const updated = await db
    .updateTable('feedback_requests')
    .set({ status: 'draft' })
    .where('id', '=', id)
    .where('manager_id', '=', managerId)
    .where('status', '=', 'declined')
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

export async function deleteDraft(db: Db, id: string, managerId: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('feedback_requests')
    .where('id', '=', id)
    .where('manager_id', '=', managerId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}
