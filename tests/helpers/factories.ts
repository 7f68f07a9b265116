// The one place tests make their data: users, requests, rounds with their invitations and
// survey links, and answered rounds, written straight to the database so each test builds
// exactly what it needs. The shapes match what the app itself writes (see src/requests and
// src/survey): answers are sealed with the app's own function, and an answered round is closed
// through the same rewrite a close does (src/rounds/rewrite-answers.ts). The scenes that also sign someone in or open a form live in ./scenes.ts and
// are re-exported here, so a test imports this module alone to make data.
import { sql, type Kysely } from 'kysely';
import type { Database, QuestionKind, RequestStatus } from '../../src/db/schema.ts';
import type { NewAnswer } from '../../src/survey/queries.ts';
import { roundKey, sealAnswers } from '../../src/survey/sealing.ts';
import { countResponses, questionsOf } from '../../src/rounds/round-queries.ts';
import { deleteSealed, writeShuffledAnswers } from '../../src/rounds/rewrite-answers.ts';
import { createSealedPartition } from '../../src/rounds/sealed-partitions.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { surveyLinkToken } from '../../src/rounds/link-tokens.ts';
import { TEST_SECRET } from './app.ts';
import { findOrCreateUser, setDisplayName } from '../../src/auth/users.ts';

let counter = 0;
/** A tag no other call returns, for emails and names that must not collide. */
export const uniqueTag = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function createUser(db: Kysely<Database>, opts: { email?: string; name?: string | null } = {}) {
  const email = opts.email ?? `person-${uniqueTag()}@example.com`;
  const user = await findOrCreateUser(db, email, 'en');
  const name = opts.name === undefined ? `Person ${email.split('@')[0]}` : opts.name;
  if (name) await setDisplayName(db, user.id, name);
  return { ...user, display_name: name };
}

export interface People {
  manager: { id: string; email: string; display_name: string | null };
  leader: { id: string; email: string; display_name: string | null };
  stranger: { id: string; email: string; display_name: string | null };
}

/** A manager, their leader (with an account) and someone unrelated. */
export async function createPeople(db: Kysely<Database>): Promise<People> {
  const tag = uniqueTag();
  return {
    manager: await createUser(db, { email: `manager-${tag}@example.com`, name: 'Mira Manager' }),
    leader: await createUser(db, { email: `leader-${tag}@example.com`, name: 'Leo Leader' }),
    stranger: await createUser(db, { email: `stranger-${tag}@example.com`, name: 'Sam Stranger' }),
  };
}

export interface QuestionSpec {
  kind: QuestionKind;
  prompt: string;
  required?: boolean;
  choices?: string[];
}

/** A built-in template's questions, as a round made from it asks them (in English). */
export async function builtInQuestions(db: Kysely<Database>, slug: string): Promise<QuestionSpec[]> {
  const rows = await db
    .selectFrom('template_questions as q')
    .innerJoin('templates as t', 't.id', 'q.template_id')
    .select(['q.kind', 'q.prompt', 'q.required', 'q.choices'])
    .where('t.slug', '=', slug)
    .orderBy('q.position')
    .execute();
  return rows.map((r) => ({ kind: r.kind, prompt: r.prompt, required: r.required, choices: r.choices as string[] }));
}

export const SAMPLE_QUESTIONS: QuestionSpec[] = [
  { kind: 'agree', prompt: 'My manager listens to me.', required: true },
  { kind: 'agree', prompt: 'My manager follows up on what I raise.', required: true },
  { kind: 'choice', prompt: 'How often should we meet?', required: false, choices: ['Weekly', 'Monthly'] },
  { kind: 'text', prompt: 'What should your manager keep doing?', required: false },
];

export interface RequestSpec {
  managerId: string;
  leaderEmail: string;
  status?: RequestStatus;
  questions?: QuestionSpec[];
  invitees?: string[];
  closesAt?: Date;
  now?: Date;
  managerNote?: string;
}

/** A request in any state before launch (default: submitted, waiting for the leader). */
export async function createRequest(db: Kysely<Database>, spec: RequestSpec) {
  const now = spec.now ?? new Date('2026-11-02T09:00:00Z');
  const request = await db
    .insertInto('feedback_requests')
    .values({
      manager_id: spec.managerId,
      leader_email: spec.leaderEmail,
      status: spec.status ?? 'submitted',
      template_id: null,
      closes_at: spec.closesAt ?? new Date(now.getTime() + 14 * 86_400_000),
      manager_note: spec.managerNote ?? '',
      decline_reason: null,
      anonymity_threshold: null,
      invited_count: null,
      previous_request_id: null,
      created_at: now,
      submitted_at: spec.status === 'draft' ? null : now,
      decided_at: null,
      launched_at: null,
      closed_at: null,
      invitees_purged_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // As a launch makes it (rounds/open-links.ts): an open round's sealed rows go there.
  if (request.status === 'open') await createSealedPartition(db, request.id);
  const specs = spec.questions ?? SAMPLE_QUESTIONS;
  const questions = await db
    .insertInto('request_questions')
    .values(
      specs.map((q, position) => ({
        request_id: request.id,
        position,
        kind: q.kind,
        prompt: q.prompt,
        required: q.required ?? false,
        choices: sql<string>`${JSON.stringify(q.choices ?? [])}::jsonb`,
      })),
    )
    .returningAll()
    .execute();
  questions.sort((a, b) => a.position - b.position);
  const invitees = spec.invitees ?? [
    'ann@example.com',
    'bob@example.com',
    'cy@example.com',
    'di@example.com',
    'ed@example.com',
  ];
  if (invitees.length) {
    await db
      .insertInto('invitations')
      .values(invitees.map((email) => ({ request_id: request.id, email })))
      .execute();
  }
  return { request, questions };
}

/**
 * An open round: a request launched with a link (token) per invitee and its key in survey_links.
 * Returns the raw tokens, as the invitation emails would carry them (for an app started
 * by startTestApp, whose secret is TEST_SECRET).
 */
export async function createOpenRound(db: Kysely<Database>, spec: RequestSpec & { threshold?: number }) {
  const { request, questions } = await createRequest(db, { ...spec, status: 'open' });
  const invitations = await db
    .selectFrom('invitations')
    .select(['id', 'email'])
    .where('request_id', '=', request.id)
    .execute();
  const tokens = invitations.map((invitation) => surveyLinkToken(TEST_SECRET, invitation.id));
  if (tokens.length)
    await db
      .insertInto('survey_links')
      .values(
        tokens
          .map((token) => ({ key: hashToken(token), request_id: request.id }))
          .sort((a, b) => (a.key < b.key ? -1 : 1)),
      )
      .execute();
  const launched = await db
    .updateTable('feedback_requests')
    .set({
      anonymity_threshold: spec.threshold ?? 3,
      invited_count: invitations.length,
      launched_at: spec.now ?? new Date('2026-11-02T09:00:00Z'),
      decided_at: spec.now ?? new Date('2026-11-02T09:00:00Z'),
    })
    .where('id', '=', request.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { request: launched, questions, tokens, invitations };
}

/** Per question (by position): a scale value or choice index, 'na', a comment, or undefined. */
export type AnswerSpec = number | 'na' | string | undefined;

/** The answers of one submission, as the survey form yields them (form.ts, toAnswers). */
export function newAnswers(questionIds: string[], answers: AnswerSpec[]): NewAnswer[] {
  return answers.flatMap((answer, index): NewAnswer[] => {
    if (answer === undefined) return [];
    const questionId = questionIds[index]!;
    if (answer === 'na') return [{ questionId, value: null, notApplicable: true, text: null }];
    if (typeof answer === 'number') return [{ questionId, value: answer, notApplicable: false, text: null }];
    return [{ questionId, value: null, notApplicable: false, text: answer }];
  });
}

/**
 * Stores answers the way the survey does while a round is open: one sealed row (sealed with
 * TEST_SECRET, the secret of an app started by startTestApp). Returns the row's id.
 */
export async function addResponse(
  db: Kysely<Database>,
  requestId: string,
  questionIds: string[],
  answers: AnswerSpec[],
) {
  const sealed = sealAnswers(
    roundKey(TEST_SECRET, requestId),
    await questionsOf(db, requestId),
    newAnswers(questionIds, answers),
  );
  // A round opened by a test's own update has none yet.
  await createSealedPartition(db, requestId);
  const row = await db
    .insertInto('sealed_responses')
    .values({ request_id: requestId, sealed })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Closes an open round as closeRound does (its links deleted; its sealed rows opened and
 * rewritten shuffled, or below its threshold only counted; the count kept), without the
 * round's results row or the leader's email, and with the status and times given.
 */
export async function closeAnsweredRound(
  db: Kysely<Database>,
  requestId: string,
  opts: { status?: 'closed' | 'released'; closedAt?: Date; releasedAt?: Date | null } = {},
) {
  await db.transaction().execute(async (trx) => {
    const round = await trx
      .selectFrom('feedback_requests')
      .select('anonymity_threshold')
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('survey_links').where('request_id', '=', requestId).execute();
    const answered = await countResponses(trx, requestId);
    if (answered >= (round.anonymity_threshold ?? 3)) await writeShuffledAnswers(trx, requestId, TEST_SECRET);
    await deleteSealed(trx, requestId);
    const status = opts.status ?? 'closed';
    await trx
      .updateTable('feedback_requests')
      .set({
        status,
        closed_at: opts.closedAt ?? new Date(),
        released_at: status === 'released' ? (opts.releasedAt ?? new Date()) : null,
        response_count: answered,
      })
      .where('id', '=', requestId)
      .execute();
  });
}

/**
 * Answers to SAMPLE_QUESTIONS (agree, agree, choice (Weekly, Monthly), text) from five people;
 * the second statement has two answers (below k = 3), so it is suppressed.
 */
export const FIXTURE: AnswerSpec[][] = [
  [5, 'na', 0, 'Keep the weekly check-ins'],
  [4, 2, 1, 'More focus time'],
  [4, 'na', 0, undefined],
  [2, 3, undefined, 'Clearer goals'],
  [5, 'na', 0, undefined],
];

export interface RoundSpec {
  managerId: string;
  leaderEmail: string;
  answers?: AnswerSpec[][];
  status?: 'open' | 'closed' | 'released';
  threshold?: number;
  /** When the request was made; earlier rounds are compared with later ones. */
  createdAt?: string;
  questions?: QuestionSpec[];
  invitees?: string[];
}

/** A round with known answers (default FIXTURE), closed unless asked otherwise. */
export async function createAnsweredRound(db: Kysely<Database>, spec: RoundSpec) {
  const now = new Date(spec.createdAt ?? '2026-11-02T09:00:00Z');
  const round = await createOpenRound(db, { ...spec, now, threshold: spec.threshold ?? 3 });
  const questionIds = round.questions.map((q) => q.id);
  for (const answers of spec.answers ?? FIXTURE) await addResponse(db, round.request.id, questionIds, answers);
  const status = spec.status ?? 'closed';
  if (status !== 'open') {
    const closedAt = new Date(now.getTime() + 14 * 86_400_000);
    await closeAnsweredRound(db, round.request.id, {
      status,
      closedAt,
      releasedAt: new Date(closedAt.getTime() + 86_400_000),
    });
  }
  return { id: round.request.id, questionIds, questions: round.questions };
}

/** The manager's own answer to one of their round's questions (their self-assessment). */
export async function addSelfAnswer(db: Kysely<Database>, requestId: string, questionId: string, value: number) {
  await db
    .insertInto('self_answers')
    .values({ request_id: requestId, question_id: questionId, value, text: null, updated_at: new Date() })
    .execute();
}

export * from './scenes.ts';
