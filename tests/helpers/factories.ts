// The one place tests make their data: users, requests, rounds with their invitations and
// ballots, and answered rounds, written straight to the database so each test builds exactly
// what it needs. The shapes match what the app itself writes (see src/requests and
// src/survey). The scenes that also sign someone in or open a form live in ./scenes.ts and
// are re-exported here, so a test imports this module alone to make data.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { AnswersTable, Database, QuestionKind, RequestStatus } from '../../src/db/schema.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { surveyLinkToken } from '../../src/rounds/link-tokens.ts';
import { TEST_SECRET } from './app.ts';
import { findOrCreateUser, setDisplayName } from '../../src/auth/users.ts';

let counter = 0;
/** A tag no other call returns, for emails and names that must not collide. */
export const uniqueTag = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function createUser(db: Kysely<Database>, opts: { email?: string; name?: string | null } = {}) {
  const email = opts.email ?? `person-${uniqueTag()}@example.com`;
  const user = await findOrCreateUser(db, email);
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
 * An open round: a request launched with a link (token) per invitee and a ballot per link.
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
  const tokens: string[] = [];
  for (const invitation of invitations) {
    const token = surveyLinkToken(TEST_SECRET, invitation.id);
    tokens.push(token);
    await db
      .updateTable('invitations')
      .set({ token_hash: hashToken(token) })
      .where('id', '=', invitation.id)
      .execute();
    await db
      .insertInto('ballots')
      .values({ token_hash: hashToken(token), request_id: request.id })
      .execute();
  }
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

/** Stores answers the way the survey does: one anonymous response and its answers. */
export async function addResponse(
  db: Kysely<Database>,
  requestId: string,
  questionIds: string[],
  answers: AnswerSpec[],
) {
  const response = await db
    .insertInto('responses')
    .values({ request_id: requestId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = answers.flatMap((answer, index): Array<Insertable<AnswersTable>> => {
    if (answer === undefined) return [];
    const question_id = questionIds[index]!;
    if (answer === 'na')
      return [{ response_id: response.id, question_id, value: null, not_applicable: true, text: null }];
    if (typeof answer === 'number')
      return [{ response_id: response.id, question_id, value: answer, not_applicable: false, text: null }];
    return [{ response_id: response.id, question_id, value: null, not_applicable: false, text: answer }];
  });
  if (rows.length) await db.insertInto('answers').values(rows).execute();
  return response.id;
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
    await db
      .updateTable('feedback_requests')
      .set({
        status,
        closed_at: closedAt,
        released_at: status === 'released' ? new Date(closedAt.getTime() + 86_400_000) : null,
      })
      .where('id', '=', round.request.id)
      .execute();
  }
  return { id: round.request.id, questionIds, questions: round.questions };
}

export * from './scenes.ts';
