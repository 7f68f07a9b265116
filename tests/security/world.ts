// Shared set-up for the security tests: a manager, their leader and a stranger with
// accounts, fresh requests in every state, and small helpers to post hostile requests.
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database, RequestStatus } from '../../src/db/schema.ts';
import { createOpenRound, createRequest, createUser } from '../helpers/factories.ts';
import { csrfTokenIn, TestClient } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import type { TestApp } from '../helpers/app.ts';
import { commentIds, createAnsweredRound } from '../reports/report-fixtures.ts';

/** "Now" in every security test: an open round made by the factories is still open. */
export const NOW = '2026-11-10T09:00:00Z';
/** A closing or follow-up day every form accepts at NOW. */
export const LATER_DAY = '2026-12-01';

export interface People {
  manager: { id: string; email: string; display_name: string | null };
  leader: { id: string; email: string; display_name: string | null };
  stranger: { id: string; email: string; display_name: string | null };
}

let made = 0;

export async function createPeople(db: Kysely<Database>): Promise<People> {
  const n = made++;
  return {
    manager: await createUser(db, { email: `manager-${n}-${Date.now()}@example.com`, name: 'Mira Manager' }),
    leader: await createUser(db, { email: `leader-${n}-${Date.now()}@example.com`, name: 'Leo Leader' }),
    stranger: await createUser(db, { email: `stranger-${n}-${Date.now()}@example.com`, name: 'Sam Stranger' }),
  };
}

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
  const point = await db
    .insertInto('focus_points')
    .values({
      request_id: id,
      text: 'Weekly one-on-ones',
      follow_up_on: '2027-01-15',
      created_by: null,
      created_at: new Date(NOW),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    id,
    invitationId: invitation.id,
    answerId: comment?.id ?? '00000000-0000-4000-8000-000000000000',
    pointId: point.id,
    token,
    questionFields,
  };
}

/** A client signed in as `user`, with its session's CSRF token. */
export async function signedIn(app: TestApp, db: Kysely<Database>, user: { id: string }) {
  const { client } = await signedInClient(app, db, user);
  return { client, csrf: await csrfOf(client, '/account') };
}

/** A visitor without an account who opened a form page, so has a session and its token. */
export async function visitor(app: TestApp) {
  const client = new TestClient(app.url);
  return { client, csrf: await csrfOf(client, '/sign-in') };
}

export async function csrfOf(client: TestClient, page: string): Promise<string> {
  const response = await client.get(page);
  assert.equal(response.status, 200, `${page} opens`);
  return csrfTokenIn(response.html);
}

/** Signs of an unhandled error leaking into a response body. */
export function assertNoStackTrace(html: string, what: string) {
  assert.doesNotMatch(html, /\bat [^\n]*\.(?:ts|js|mjs):\d+:\d+|node_modules\//, `${what}: no stack trace in the body`);
}
