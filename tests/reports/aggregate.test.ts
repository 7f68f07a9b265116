// The report's figures equal a fixture computed by hand, on both databases.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { addResponse, type AnswerSpec, closeAnsweredRound, createOpenRound, createUser } from '../helpers/factories.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { groupComments, questionFigures } from '../../src/reports/aggregate.ts';
import { countResponses } from '../../src/rounds/round-queries.ts';
import { findReportRound } from '../../src/reports/queries.ts';

/** The comments as the report reads them, with the round: closed first, as an open round's are not read. */
async function roundComments(db: Kysely<Database>, requestId: string, threshold: number) {
  const { status } = await db
    .selectFrom('feedback_requests')
    .select('status')
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  if (status === 'open') await closeAnsweredRound(db, requestId);
  return groupComments((await findReportRound(db, requestId))!.comments, threshold);
}

// Questions of SAMPLE_QUESTIONS: agree, agree, choice (Weekly, Monthly), text.
const FIXTURE: AnswerSpec[][] = [
  [5, 'na', 0, 'Keep the weekly check-ins'],
  [4, 2, 1, 'More focus time'],
  [4, 'na', 0, undefined],
  [2, 3, undefined, 'Clearer goals'],
  [5, 'na', 0, undefined],
];

describeEachDatabase('report aggregates', (database) => {
  let requestId: string;
  let questionIds: string[];

  before(async () => {
    const db = database().db;
    const manager = await createUser(db);
    const round = await createOpenRound(db, { managerId: manager.id, leaderEmail: 'lee@example.com' });
    requestId = round.request.id;
    questionIds = round.questions.map((q) => q.id);
    for (const answers of FIXTURE) await addResponse(db, requestId, questionIds, answers);
    // Another round's answers must not leak into this one's figures.
    const other = await createOpenRound(db, { managerId: manager.id, leaderEmail: 'lee@example.com' });
    for (let i = 0; i < 4; i++)
      await addResponse(
        db,
        other.request.id,
        other.questions.map((q) => q.id),
        [1, 1, 1, 'elsewhere'],
      );
    // Answers are written out, per question, when a round closes.
    await closeAnsweredRound(db, requestId);
    await closeAnsweredRound(db, other.request.id);
  });

  it('count, mean, "not applicable" and distribution per question match the hand-computed fixture', async () => {
    const figures = await questionFigures(database().db, requestId, 3);
    assert.equal(await countResponses(database().db, requestId), 5);
    assert.deepEqual(
      figures.map(({ prompt, answered, notApplicable, suppressed, mean, distribution }) => ({
        prompt,
        answered,
        notApplicable,
        suppressed,
        mean,
        distribution,
      })),
      [
        {
          prompt: 'My manager listens to me.',
          answered: 5,
          notApplicable: 0,
          suppressed: false,
          mean: 4,
          distribution: [0, 1, 0, 2, 2],
        },
        // Two answers and three "not applicable": below k = 3, so no figures at all.
        {
          prompt: 'My manager follows up on what I raise.',
          answered: 0,
          notApplicable: 0,
          suppressed: true,
          mean: null,
          distribution: [],
        },
        {
          prompt: 'How often should we meet?',
          answered: 4,
          notApplicable: 0,
          suppressed: false,
          mean: null,
          distribution: [3, 1],
        },
      ],
    );
  });

  it('suppresses every question when the threshold is above its answers', async () => {
    const figures = await questionFigures(database().db, requestId, 6);
    assert.ok(figures.every((q) => q.suppressed && q.distribution.length === 0 && q.mean === null));
    const [comments] = await roundComments(database().db, requestId, 6);
    assert.equal(comments!.suppressed, true);
    assert.deepEqual(comments!.comments, []);
  });

  it("returns each question's comments in a shuffled order that is stable between views", async () => {
    const [first] = await roundComments(database().db, requestId, 3);
    assert.deepEqual(first!.comments.map((c) => c.text).sort(), [
      'Clearer goals',
      'Keep the weekly check-ins',
      'More focus time',
    ]);
    const [again] = await roundComments(database().db, requestId, 3);
    assert.deepEqual(
      again!.comments.map((c) => c.id),
      first!.comments.map((c) => c.id),
    );
  });

  it('does not keep the order in which comments were written', async () => {
    const db = database().db;
    const manager = await createUser(db);
    const round = await createOpenRound(db, { managerId: manager.id, leaderEmail: 'lee@example.com' });
    const written = Array.from({ length: 30 }, (_, i) => `comment ${String(i).padStart(2, '0')}`);
    for (const text of written)
      await addResponse(
        db,
        round.request.id,
        round.questions.map((q) => q.id),
        [undefined, undefined, undefined, text],
      );
    const [shown] = await roundComments(db, round.request.id, 3);
    const order = shown!.comments.map((c) => c.text);
    assert.deepEqual([...order].sort(), written);
    assert.notDeepEqual(order, written, 'shuffled, not in the order written');
  });

  it('reads no comments with a round that is still open', async () => {
    const db = database().db;
    const manager = await createUser(db);
    const round = await createOpenRound(db, { managerId: manager.id, leaderEmail: 'lee@example.com' });
    for (let i = 0; i < 4; i++)
      await addResponse(
        db,
        round.request.id,
        round.questions.map((q) => q.id),
        [4, 4, 0, `open ${i}`],
      );
    assert.deepEqual((await findReportRound(db, round.request.id))!.comments, []);
    assert.equal((await roundComments(db, round.request.id, 3))[0]!.comments.length, 4, 'read once closed');
  });
});
