// A round as the hostile-operator tests of issue 17 need it: made by a manager, launched by
// the leader over HTTP, answered over HTTP through each invitee's real link, closed by the
// leader or the job. What the tests then read is only the database (tests/helpers/dump.ts).
// The same attacks run on a check-back (issue 20), a round in every respect: `kind:
// 'check-back'` launches one over HTTP instead, on the focus points of an earlier released
// round whose addresses were deleted since, to the team its manager pasted again.
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import {
  createAnsweredRound,
  createFocusPoint,
  createUser,
  leaderWithRequest,
  uniqueTag,
  type QuestionSpec,
} from '../helpers/factories.ts';
import { rowsHolding, type Dump } from '../helpers/dump.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { surveyLinkToken } from '../../src/rounds/link-tokens.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { dayOf, endOfDay } from '../../src/lib/dates.ts';
import { paths } from '../../src/http/paths.ts';
import { questionsOf } from '../../src/rounds/round-queries.ts';

export type AttackKind = 'round' | 'check-back';
export const ATTACK_KINDS: AttackKind[] = ['round', 'check-back'];

export const agree = (prompt: string): QuestionSpec => ({ kind: 'agree', prompt, required: false });
export const comment = (prompt: string): QuestionSpec => ({ kind: 'text', prompt, required: false });

/**
 * A request of `questions` to `team` invitees (named in the order given), launched by its
 * leader; or, with `kind: 'check-back'`, a check-back asking about one focus point per agree
 * question, then its one comment.
 */
export async function launchedRound(
  app: TestApp,
  db: Kysely<Database>,
  opts: { questions: QuestionSpec[]; team: string[]; closesOn: string; kind?: AttackKind },
) {
  if (opts.kind === 'check-back') return launchedCheckBack(app, db, opts);
  const tag = uniqueTag();
  const invitees = opts.team.map((name) => `${name}-${tag}@example.com`);
  const { leader, leaderUser, request, questions } = await leaderWithRequest(app, db, {
    questions: opts.questions,
    invitees,
    closesAt: endOfDay(opts.closesOn),
  });
  const launched = await leader.submit(`/collect/${request.id}/launch`, {});
  assert.equal(launched.status, 303, 'the leader launched the round');
  return {
    tag,
    leader,
    request,
    questions,
    invitees,
    questionIds: questions.map((q) => q.id),
    /** The form field of the question at `position`. */
    field: (position: number) => `q-${questions[position]!.id}`,
    ...fieldsByKind(questions),
    /** The subject of the invitation that carries a link. */
    invitationSubject: /asks for your anonymous feedback/,
    /** The leader closes the round early, signed in anew (days later, the launch's session may have lapsed). */
    close: async () => {
      const { client } = await signedInClient(app, db, leaderUser);
      assert.equal((await client.submit(`/collect/${request.id}/close`, {})).status, 303);
    },
  };
}

/** The form fields of the ratings and of the comments, each in order. */
function fieldsByKind(questions: ReadonlyArray<{ id: string; kind: string }>) {
  const fields = (kind: string) => questions.filter((q) => q.kind === kind).map((q) => `q-${q.id}`);
  return { ratingFields: fields('agree'), commentFields: fields('text') };
}

async function launchedCheckBack(
  app: TestApp,
  db: Kysely<Database>,
  opts: { questions: QuestionSpec[]; team: string[]; closesOn: string },
) {
  const tag = uniqueTag();
  const invitees = opts.team.map((name) => `${name}-${tag}@example.com`);
  const manager = await createUser(db, { email: `manager-${tag}@example.com`, name: `Mona ${tag}` });
  const leaderUser = await createUser(db, { email: `leader-${tag}@example.com`, name: `Leo ${tag}` });
  const round = await createAnsweredRound(db, {
    managerId: manager.id,
    leaderEmail: leaderUser.email,
    status: 'released',
    invitees: opts.team.map((_, i) => `earlier-${i}-${tag}@example.com`),
  });
  await db.updateTable('invitations').set({ email: null }).where('request_id', '=', round.id).execute();
  await db
    .updateTable('feedback_requests')
    .set({ invitees_purged_at: app.clock.now() })
    .where('id', '=', round.id)
    .execute();
  for (const question of opts.questions.filter((q) => q.kind === 'agree'))
    await createFocusPoint(db, round.id, { text: question.prompt, followUpOn: dayOf(app.clock.now()) });
  const page = paths.reports.checkBack(round.id);
  const { client: managerClient } = await signedInClient(app, db, manager);
  const pasted = await managerClient.submit(
    page,
    { invitees: invitees.join('\n') },
    paths.reports.checkBackTeam(round.id),
  );
  assert.equal(pasted.status, 303, 'the manager added the team again');
  const { client: leader } = await signedInClient(app, db, leaderUser);
  const launched = await leader.submit(page, { closes_on: opts.closesOn }, paths.reports.checkBackLaunch(round.id));
  assert.equal(launched.status, 303, 'the leader launched the check-back');
  const request = await db
    .selectFrom('feedback_requests')
    .selectAll()
    .where('check_back_of', '=', round.id)
    .executeTakeFirstOrThrow();
  assert.equal(request.status, 'open');
  const questions = await questionsOf(db, request.id);
  return {
    tag,
    leader,
    request,
    questions,
    invitees,
    questionIds: questions.map((q) => q.id),
    field: (position: number) => `q-${questions[position]!.id}`,
    ...fieldsByKind(questions),
    invitationSubject: /A short anonymous check-back/,
    close: async () => {
      const { client } = await signedInClient(app, db, leaderUser);
      assert.equal((await client.submit(`/collect/${request.id}/close`, {})).status, 303);
    },
  };
}

export type LaunchedRound = Awaited<ReturnType<typeof launchedRound>>;

/** Opens a survey link and sends the form, as a team member's browser would; the answer must be taken. */
export async function answer(app: TestApp, path: string, fields: Record<string, string>) {
  const client = new TestClient(app.url);
  assert.equal((await client.get(path)).status, 200, `the link ${path} opens`);
  const sent = await client.post(path, fields);
  assert.equal(sent.status, 200, `the answer through ${path} was taken`);
}

/** The rows of a dump that hold an invitee's address: the invitations, as a copy shows them. */
export function invitationRows(dump: Dump, invitees: string[]) {
  return invitees.map((email) => {
    const rows = rowsHolding(dump, email);
    assert.equal(rows.length, 1, `one row names ${email} (found ${rows.map((r) => r.table).join(', ') || 'none'})`);
    return rows[0]!;
  });
}

/**
 * An invitee's link, recomputed from their invitation's id with the server secret as the
 * app's emails do, and what a copy could hold to find it: the token, or its hash (the key
 * the link is stored under).
 */
export function linkOf(app: TestApp, invitationId: string) {
  const token = surveyLinkToken(app.config.SESSION_SECRET, invitationId);
  return { path: `/s/${token}`, token, key: hashToken(token) };
}
