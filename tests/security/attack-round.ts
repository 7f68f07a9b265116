// A round as the hostile-operator tests of issue 17 need it: made by a manager, launched by
// the leader over HTTP, answered over HTTP through each invitee's real link, closed by the
// leader or the job. What the tests then read is only the database (tests/helpers/dump.ts).
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { leaderWithRequest, uniqueTag, type QuestionSpec } from '../helpers/factories.ts';
import { rowsHolding, type Dump } from '../helpers/dump.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { surveyLinkToken } from '../../src/rounds/link-tokens.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { endOfDay } from '../../src/lib/dates.ts';

export const agree = (prompt: string): QuestionSpec => ({ kind: 'agree', prompt, required: false });
export const comment = (prompt: string): QuestionSpec => ({ kind: 'text', prompt, required: false });

/** A request of `questions` to `team` invitees (named in the order given), launched by its leader. */
export async function launchedRound(
  app: TestApp,
  db: Kysely<Database>,
  opts: { questions: QuestionSpec[]; team: string[]; closesOn: string },
) {
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
    /** The leader closes the round early, signed in anew (days later, the launch's session may have lapsed). */
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
