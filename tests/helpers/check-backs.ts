// A check-back (issue 20) for the tests: a released round with focus points due, and its
// check-back launched through the app's own use case, with the links its invitations carry
// (derived with TEST_SECRET, as the emails of an app started by startTestApp). The shape
// matches surveyRound's, so a suite that attacks a round runs on a check-back unchanged.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { dayOf, endOfDay } from '../../src/lib/dates.ts';
import { launchCheckBack } from '../../src/check-back/actions.ts';
import { questionsOf } from '../../src/rounds/round-queries.ts';
import { surveyLinkToken } from '../../src/rounds/link-tokens.ts';
import type { TestApp } from './app.ts';
import { TEST_SECRET } from './app.ts';
import {
  addResponse,
  createAnsweredRound,
  createFocusPoint,
  createOpenRound,
  createUser,
  uniqueTag,
  type AnswerSpec,
  type RoundSpec,
} from './factories.ts';

/** A released round of a new manager and leader, with `points` focus points due today. */
export async function releasedRoundWithPoints(
  app: Pick<TestApp, 'clock'>,
  db: Kysely<Database>,
  opts: { points?: string[]; team?: number; managerId?: string; leaderEmail?: string } = {},
) {
  const tag = uniqueTag();
  const managerId = opts.managerId ?? (await createUser(db, { name: 'Morgan Manager' })).id;
  const leaderEmail = opts.leaderEmail ?? (await createUser(db, { email: `leader-${tag}@example.com` })).email;
  const invitees = Array.from({ length: opts.team ?? 5 }, (_, i) => `member-${tag}-${i + 1}@example.com`);
  const round = await createAnsweredRound(db, { managerId, leaderEmail, status: 'released', invitees });
  const today = dayOf(app.clock.now());
  const points = [];
  for (const text of opts.points ?? ['Protect focus time', 'Share the plan early'])
    points.push(await createFocusPoint(db, round.id, { text, followUpOn: today, createdAt: new Date('2026-10-01') }));
  return { roundId: round.id, managerId, leaderEmail, invitees, pointIds: points.map((p) => p.id) };
}

/**
 * A launched check-back on a released round: its questions are one agree statement per
 * focus point (`points`, default two), then the optional comment.
 */
export async function checkBackRound(
  app: Pick<TestApp, 'clock' | 'config'>,
  db: Kysely<Database>,
  opts: { points?: string[]; closesOn?: string; team?: number } = {},
) {
  const round = await releasedRoundWithPoints(app, db, opts);
  const launched = await launchCheckBack(
    { db, config: app.config, clock: app.clock },
    { roundId: round.roundId, leaderEmail: round.leaderEmail },
    endOfDay(opts.closesOn ?? '2026-11-20'),
  );
  if (!launched.launched) throw new Error(`the check-back did not launch: ${launched.problem}`);
  const id = launched.checkBackId;
  const request = await db.selectFrom('feedback_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const invitations = await db.selectFrom('invitations').select(['id', 'email']).where('request_id', '=', id).execute();
  const questions = await questionsOf(db, id);
  const tokens = invitations.map((invitation) => surveyLinkToken(TEST_SECRET, invitation.id));
  const field = (position: number) => `q-${questions[position]!.id}`;
  return {
    ...round,
    request,
    questions,
    invitations,
    tokens,
    field,
    path: (i = 0) => `/s/${tokens[i]}`,
  };
}

export type CheckBackRound = Awaited<ReturnType<typeof checkBackRound>>;

/**
 * A check-back of `roundId` about one focus point, made directly in the tables: a round of the
 * check-back kind whose one statement points to the focus point, open with these answers so
 * far, or closed with them.
 */
export async function checkBackOfPoint(
  db: Kysely<Database>,
  spec: Pick<RoundSpec, 'managerId' | 'leaderEmail' | 'questions' | 'invitees'> & { createdAt: string },
  at: { roundId: string; pointId: string },
  answers: AnswerSpec[],
  status: 'open' | 'closed',
): Promise<string> {
  const id =
    status === 'open'
      ? (await createOpenRound(db, { ...spec, threshold: 3, now: new Date(spec.createdAt) })).request.id
      : (await createAnsweredRound(db, { ...spec, answers: answers.map((a) => [a]), status })).id;
  if (status === 'open') {
    const questions = await db.selectFrom('request_questions').select('id').where('request_id', '=', id).execute();
    for (const a of answers)
      await addResponse(
        db,
        id,
        questions.map((q) => q.id),
        [a],
      );
  }
  await db
    .updateTable('feedback_requests')
    .set({ kind: 'check-back', check_back_of: at.roundId })
    .where('id', '=', id)
    .execute();
  await db.updateTable('request_questions').set({ focus_point_id: at.pointId }).where('request_id', '=', id).execute();
  return id;
}
