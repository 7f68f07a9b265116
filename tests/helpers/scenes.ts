// Data for a scene a test starts from: a leader signed in with a request waiting, a manager
// signed in with a draft, a round to answer, a focus point, a request of the security tests
// in any stage (and reading back a request's comments). Re-exported by ./factories.ts;
// import it from there.
import type { Kysely } from 'kysely';
import type { Database, RequestStatus } from '../../src/db/schema.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import type { TestApp } from './app.ts';
import {
  createAnsweredRound,
  createOpenRound,
  createRequest,
  createUser,
  uniqueTag,
  type People,
  type RequestSpec,
} from './factories.ts';
import { signedInClient } from './sessions.ts';

/** A manager, a leader (signed in) and the manager's request waiting for that leader. */
export async function leaderWithRequest(app: TestApp, db: Kysely<Database>, spec: Partial<RequestSpec> = {}) {
  const tag = uniqueTag();
  const manager = await createUser(db, { email: `manager-${tag}@example.com`, name: `Mona ${tag}` });
  const leaderUser = await createUser(db, { email: `leader-${tag}@example.com`, name: `Leo ${tag}` });
  const { client: leader } = await signedInClient(app, db, leaderUser);
  const invitees = spec.invitees ?? ['ann', 'bob', 'cy', 'di', 'ed'].map((name) => `${name}-${tag}@example.com`);
  const { request, questions } = await createRequest(db, {
    managerId: manager.id,
    leaderEmail: leaderUser.email,
    now: app.clock.now(),
    managerNote: 'Please ask my team how our one-on-ones are going.',
    ...spec,
    invitees,
  });
  return { manager, leader, leaderUser, request, questions, invitees };
}

/** A signed-in manager who has started a request from `template` (a slug, or 'blank'). */
export async function managerWithDraft(app: TestApp, db: Kysely<Database>, template: string = 'pulse') {
  const user = await createUser(db, {
    email: `manager-${Math.random().toString(36).slice(2)}@example.com`,
    name: 'Mia Manager',
  });
  const { client } = await signedInClient(app, db, user);
  const templateId =
    template === 'blank'
      ? 'blank'
      : (await db.selectFrom('templates').select('id').where('slug', '=', template).executeTakeFirstOrThrow()).id;
  const created = await client.submit('/requests/new', { template: templateId }, '/requests');
  const id = /^\/requests\/([0-9a-f-]{36})\/edit$/.exec(created.location ?? '')?.[1];
  if (!id) throw new Error(`creating a request answered ${created.status} ${created.location}`);
  return { client, user, id, created };
}

export const CLOSING_DAY = '2026-11-20';

let rounds = 0;

/** An open round closing at the end of CLOSING_DAY, managed by "Morgan Manager". */
export async function surveyRound(db: Kysely<Database>, opts: { leaderName?: string | null; teamNote?: string } = {}) {
  const n = rounds++;
  const manager = await createUser(db, { name: 'Morgan Manager' });
  const leaderEmail = `leader-${n}-${Date.now()}@example.com`;
  if (opts.leaderName !== null) await createUser(db, { email: leaderEmail, name: opts.leaderName ?? 'Lee Leader' });
  const round = await createOpenRound(db, {
    managerId: manager.id,
    leaderEmail,
    closesAt: endOfDay(CLOSING_DAY),
    invitees: [1, 2, 3, 4, 5].map((i) => `member-${n}-${i}@example.com`),
  });
  if (opts.teamNote)
    await db
      .updateTable('feedback_requests')
      .set({ team_note: opts.teamNote })
      .where('id', '=', round.request.id)
      .execute();
  const field = (position: number) => `q-${round.questions[position]!.id}`;
  return { ...round, leaderEmail, field, path: (i = 0) => `/s/${round.tokens[i]}` };
}

export type SurveyRound = Awaited<ReturnType<typeof surveyRound>>;

/** The comments stored for a request (answers with text), with their ids. */
export function commentIds(db: Kysely<Database>, requestId: string) {
  const answers = db.selectFrom('answers').innerJoin('request_questions as q', 'q.id', 'answers.question_id');
  const comments = answers.where('q.request_id', '=', requestId).where('answers.text', 'is not', null);
  return comments.select(['answers.id', 'answers.text']).execute();
}

/** A focus point the leader agreed on for a request (default: weekly one-on-ones, due 15 January 2027). */
export function createFocusPoint(
  db: Kysely<Database>,
  requestId: string,
  opts: { text?: string; followUpOn?: string; createdBy?: string | null; createdAt?: Date } = {},
) {
  return db
    .insertInto('focus_points')
    .values({
      request_id: requestId,
      text: opts.text ?? 'Weekly one-on-ones',
      follow_up_on: opts.followUpOn ?? '2027-01-15',
      created_by: opts.createdBy ?? null,
      created_at: opts.createdAt ?? new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** When createFixture's focus point was made: the security tests' "now". */
export const FIXTURE_NOW = '2026-11-10T09:00:00Z';

export type Stage = 'draft' | 'submitted' | 'declined' | 'open' | 'closed' | 'released';

/** Everything a route of one request may name: the request, an invitee, a comment, a point, a link. */
export interface Fixture {
  id: string;
  invitationId: string;
  answerId: string;
  pointId: string;
  token: string;
  questionFields: Record<string, string>;
}

/** A fresh request of `people.manager`, collected by `people.leader`, in `stage`. */
export async function createFixture(db: Kysely<Database>, people: People, stage: Stage): Promise<Fixture> {
  const spec = { managerId: people.manager.id, leaderEmail: people.leader.email };
  let id: string;
  let token = '';
  let questionFields: Record<string, string> = {};
  if (stage === 'closed' || stage === 'released') {
    id = (await createAnsweredRound(db, { ...spec, status: stage })).id;
  } else if (stage === 'open') {
    const round = await createOpenRound(db, spec);
    id = round.request.id;
    token = round.tokens[0]!;
    const answer = { agree: '4', choice: '0', text: 'Keeps our one-on-ones.' } as const;
    questionFields = Object.fromEntries(round.questions.map((q) => [`q-${q.id}`, answer[q.kind]]));
  } else {
    id = (await createRequest(db, { ...spec, status: stage as RequestStatus })).request.id;
  }
  const invitation = await db
    .selectFrom('invitations')
    .select('id')
    .where('request_id', '=', id)
    .executeTakeFirstOrThrow();
  const [comment] = await commentIds(db, id);
  const point = await createFocusPoint(db, id, { createdAt: new Date(FIXTURE_NOW) });
  return {
    id,
    invitationId: invitation.id,
    answerId: comment?.id ?? '00000000-0000-4000-8000-000000000000',
    pointId: point.id,
    token,
    questionFields,
  };
}
