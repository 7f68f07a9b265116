// The round a report view reads (findReportRound): in one statement, the round with its own
// people, its stored response count, the round it compares with and its comments, which no
// one can read while the round is open.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { countingQueries, describeEachDatabase } from '../helpers/databases.ts';
import { type AnswerSpec, createAnsweredRound, createUser } from '../helpers/factories.ts';
import { findReportRound } from '../../src/reports/queries.ts';

describeEachDatabase('the round a report reads', (database) => {
  const db = () => database().db;
  const answers = (comment: string): AnswerSpec[][] => [1, 2, 3].map((i) => [4, 4, 0, `${comment} ${i}`]);
  const commentsOf = (round: { comments: Array<{ text: string | null }> }) =>
    round.comments
      .map((c) => c.text)
      .sort()
      .join(', ');

  it('gives each round its own people and comments, in one statement, and nothing for an unknown id', async () => {
    const [mo, nia] = await Promise.all(['Mo', 'Nia'].map((name) => createUser(db(), { name })));
    const a = await createAnsweredRound(db(), {
      managerId: mo!.id,
      leaderEmail: 'lee@example.com',
      answers: answers('For Mo'),
    });
    const b = await createAnsweredRound(db(), {
      managerId: nia!.id,
      leaderEmail: 'lee@example.com',
      answers: answers('For Nia'),
      status: 'released',
    });
    const { db: counted, queries } = countingQueries(db());
    const first = await findReportRound(counted, a.id);
    assert.equal(queries(), 1, 'one statement per view');
    const found = [first, ...(await Promise.all([b.id, randomUUID()].map((id) => findReportRound(counted, id))))];
    assert.deepEqual(
      found.map((round) => round && [round.id, round.managerName, round.leaderName, round.status, commentsOf(round)]),
      [
        [a.id, 'Mo', 'lee@example.com', 'closed', 'For Mo 1, For Mo 2, For Mo 3'],
        [b.id, 'Nia', 'lee@example.com', 'released', 'For Nia 1, For Nia 2, For Nia 3'],
        undefined,
      ],
    );
  });

  it('reads no comment of an open round, and compares with the manager’s earlier released round', async () => {
    const managerId = (await createUser(db())).id;
    const earlier = await createAnsweredRound(db(), {
      managerId,
      leaderEmail: 'lee@example.com',
      createdAt: '2026-05-01T09:00:00Z',
      status: 'released',
    });
    const open = await createAnsweredRound(db(), {
      managerId,
      leaderEmail: 'lee@example.com',
      answers: answers('Not yet'),
      status: 'open',
    });
    const round = await findReportRound(db(), open.id);
    assert.deepEqual(round!.comments, [], 'no comment leaves the database while the round is open');
    assert.equal(round!.storedResponses, null);
    assert.equal(round!.previous?.id, earlier.id);
  });
});
