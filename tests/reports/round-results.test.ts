// A closed round's results are computed once and stored (round_results): by the transaction
// that closes the round, or at the first view of a round closed before the table existed.
// The stored figures equal an aggregation on the fly, on both databases, and the page and
// the CSV show them.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf } from '../helpers/client.ts';
import {
  addResponse,
  type AnswerSpec,
  createAnsweredRound,
  createOpenRound,
  createUser,
  FIXTURE,
} from '../helpers/factories.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { closeRound } from '../../src/rounds/close-round.ts';
import { questionFigures } from '../../src/reports/aggregate.ts';
import { countResponses } from '../../src/rounds/round-queries.ts';
import { readRoundResults, roundFigures } from '../../src/reports/round-results.ts';

describeEachDatabase('stored round results', (database) => {
  const clock = new ManualClock('2026-11-10T12:00:00Z');
  const db = () => database().db;
  const { app, people, leader } = useTestApp(database, { clock, signIn: ['leader'] });

  /** An open round launched with `threshold`, answered as FIXTURE, closed by closeRound. */
  async function closedThroughCloseRound(
    threshold = 3,
    answers: AnswerSpec[][] = FIXTURE,
    opts: { managerId?: string; createdAt?: string } = {},
  ) {
    const now = new Date(opts.createdAt ?? '2026-11-02T09:00:00Z');
    const round = await createOpenRound(db(), {
      managerId: opts.managerId ?? people().manager.id,
      leaderEmail: people().leader.email,
      now,
      threshold,
    });
    const questionIds = round.questions.map((q) => q.id);
    for (const response of answers) await addResponse(db(), round.request.id, questionIds, response);
    // Early, by the leader: the path that does not wait for the closing time.
    assert.equal(await closeRound(db(), round.request.id, { config: app().config, clock }), true);
    return round.request.id;
  }

  const storedRow = (id: string) =>
    db().selectFrom('round_results').selectAll().where('request_id', '=', id).executeTakeFirst();

  it('closing a round stores its count and figures, equal to an aggregation on the fly', async () => {
    const id = await closedThroughCloseRound();
    const row = await storedRow(id);
    assert.ok(row, 'the close wrote the row');
    assert.equal(row.threshold, 3);
    assert.equal(row.response_count, 5);
    assert.equal(row.response_count, await countResponses(db(), id));
    assert.deepEqual(row.figures, await questionFigures(db(), id, 3));
    assert.ok(row.computed_at instanceof Date);
    // The second statement had two answers: stored suppressed, with no figures at all.
    const stored = await readRoundResults(db(), id);
    assert.deepEqual(
      stored!.figures.map((q) => [q.suppressed, q.answered, q.mean, q.distribution]),
      [
        [false, 5, 4, [0, 1, 0, 2, 2]],
        [true, 0, null, []],
        [false, 4, null, [3, 1]],
      ],
    );
    // The leader's email says the same count.
    const mail = await db()
      .selectFrom('email_outbox')
      .select('text')
      .where('name', '=', 'round-closed')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    assert.match(mail.text, /5 of 5 invited people answered/);
  });

  it('keeps a mean that has no short decimal form exactly as computed', async () => {
    const id = await closedThroughCloseRound(3, [
      [5, 1, 0],
      [4, 2, 1],
      [4, 2, 1],
    ]);
    const stored = await readRoundResults(db(), id);
    assert.deepEqual(stored!.figures, await questionFigures(db(), id, 3));
    assert.equal(stored!.figures[0]!.mean, 13 / 3);
    assert.equal(stored!.figures[1]!.mean, 5 / 3);
  });

  it("uses the threshold recorded at launch, not the deployment's", async () => {
    const id = await closedThroughCloseRound(5);
    const row = await storedRow(id);
    assert.equal(row!.threshold, 5);
    assert.deepEqual(row!.figures, await questionFigures(db(), id, 5));
    assert.deepEqual(
      (row!.figures as Array<{ suppressed: boolean }>).map((q) => q.suppressed),
      [false, true, true],
      'the choice question had 4 answers, fewer than 5',
    );
  });

  it('writes the row once: a second close changes nothing', async () => {
    const id = await closedThroughCloseRound();
    const before = await storedRow(id);
    assert.equal(await closeRound(db(), id, { config: app().config, clock }), false);
    assert.deepEqual(await storedRow(id), before);
    assert.equal(
      (await db().selectFrom('round_results').select('request_id').where('request_id', '=', id).execute()).length,
      1,
    );
  });

  it('the report and the CSV show the stored figures', async () => {
    const id = await closedThroughCloseRound();
    // Nothing can add a response to a closed round; one written behind the app's back shows
    // that the page reads the figures stored at close instead of counting again.
    const questions = await db()
      .selectFrom('request_questions')
      .select('id')
      .where('request_id', '=', id)
      .orderBy('position')
      .execute();
    await addResponse(
      db(),
      id,
      questions.map((q) => q.id),
      [1, 1, 1, undefined],
    );
    const text = textOf((await leader().get(`/reports/${id}`)).html);
    assert.match(text, /Participation 5 of 5 answered/);
    assert.match(text, /1\. My manager listens to me\. 4\.0 out of 5 80% favourable 5 answers/);
    assert.match(text, /2\. My manager follows up on what I raise\. Not enough answers\./);
    assert.match(text, /3\. How often should we meet\? 4 answers .*Weekly 3 75% Monthly 1 25%/);
    const csv = (await leader().get(`/reports/${id}.csv`)).html;
    assert.match(csv, /My manager listens to me\.,agree scale,5,0,4\.00,/);
    assert.match(csv, /How often should we meet\?,single choice,4,0,,Weekly \| Monthly,3,1,/);
  });

  it('a round closed without a row gets one at the first view of its report', async () => {
    const { id } = await createAnsweredRound(db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      threshold: 4,
    });
    assert.equal(await storedRow(id), undefined, "closed behind closeRound's back, as before the table existed");
    const page = await leader().get(`/reports/${id}`);
    assert.equal(page.status, 200);
    assert.match(textOf(page.html), /Participation 5 of 5 answered/);
    const row = await storedRow(id);
    assert.ok(row, 'the first view stored the row');
    assert.equal(row.threshold, 4);
    assert.equal(row.response_count, 5);
    assert.deepEqual(row.figures, await questionFigures(db(), id, 4));
    // Later views, and the CSV, use it; nothing is written twice.
    assert.equal((await leader().get(`/reports/${id}`)).status, 200);
    assert.equal((await leader().get(`/reports/${id}.csv`)).status, 200);
    assert.deepEqual(await storedRow(id), row);
  });

  it('compares with the previous released round by its stored count and figures', async () => {
    // A manager of their own, so no other test's rounds count as "previous".
    const managerId = (await createUser(db())).id;
    const release = (id: string) =>
      db()
        .updateTable('feedback_requests')
        .set({ status: 'released', released_at: new Date('2026-06-01T09:00:00Z') })
        .where('id', '=', id)
        .execute();
    // Earlier, closed through closeRound and released: 3, 3, 4, 4, 4 → 3.6 on statement 1.
    const earlier = await closedThroughCloseRound(3, [[3], [3], [4], [4], [4]], {
      managerId,
      createdAt: '2026-05-01T09:00:00Z',
    });
    await release(earlier);
    // Later, but with two answers stored at close, below its threshold: never the comparison.
    const tooFew = await closedThroughCloseRound(3, [[1], [1]], { managerId, createdAt: '2026-08-01T09:00:00Z' });
    await release(tooFew);
    assert.equal((await storedRow(tooFew))!.response_count, 2);
    const current = await closedThroughCloseRound(3, FIXTURE, { managerId, createdAt: '2026-11-02T09:00:00Z' });
    const text = textOf((await leader().get(`/reports/${current}`)).html);
    assert.match(text, /My manager listens to me\. 4\.0 out of 5 80% favourable \+0\.4 since 10 November 2026/);
  });

  it('figures for another threshold than the stored one are computed, not taken from the row', async () => {
    const id = await closedThroughCloseRound(3);
    const round = { id, status: 'closed' as const };
    assert.deepEqual(await roundFigures(db(), round, 3), await questionFigures(db(), id, 3));
    const atFive = await roundFigures(db(), round, 5);
    assert.deepEqual(atFive, await questionFigures(db(), id, 5));
    assert.deepEqual(
      atFive.map((q) => q.suppressed),
      [false, true, true],
    );
    assert.equal((await storedRow(id))!.threshold, 3, "the row keeps the round's own threshold");
  });
});
