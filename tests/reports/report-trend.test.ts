// The trend on a report: each statement's mean in every earlier round of the same manager
// that was released and met its threshold, then this round's, as a small chart with the
// values and the same values in the table for screen readers.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createAnsweredRound, createUser, type RoundSpec } from '../helpers/factories.ts';
import { earlierMeans } from '../../src/reports/trend-queries.ts';

describeEachDatabase('report trend', (database) => {
  const { people, leader } = useTestApp(database, {
    clock: new ManualClock('2026-12-01T09:00:00Z'),
    signIn: ['leader'],
  });

  it('shows the mean of every earlier released round of the same manager, oldest first, with this one', async () => {
    const db = database().db;
    const managerId = (await createUser(db)).id;
    const round = (spec: Partial<RoundSpec>) =>
      createAnsweredRound(db, { managerId, leaderEmail: people().leader.email, ...spec });
    // Closed 14 days after they were made. Statement 1: 3, 3, 3 → 3.0; 4, 4, 3 → 3.7.
    await round({ createdAt: '2026-03-01T09:00:00Z', status: 'released', answers: [[3], [3], [3]] });
    await round({ createdAt: '2026-05-01T09:00:00Z', status: 'released', answers: [[4], [4], [3]] });
    // Not in the trend: below its threshold, not released, another manager's, and later.
    await round({ createdAt: '2026-06-01T09:00:00Z', status: 'released', answers: [[5], [5]] });
    await round({ createdAt: '2026-07-01T09:00:00Z', status: 'closed', answers: [[1], [1], [1]] });
    await createAnsweredRound(db, {
      managerId: (await createUser(db)).id,
      leaderEmail: people().leader.email,
      createdAt: '2026-08-01T09:00:00Z',
      status: 'released',
      answers: [[1], [1], [1]],
    });
    // This round: the fixture, 4.0 on statement 1 (statement 2 is below k).
    const current = await round({ createdAt: '2026-11-01T09:00:00Z' });
    await round({ createdAt: '2026-11-20T09:00:00Z', status: 'released', answers: [[1], [1], [1]] });

    const request = await db
      .selectFrom('feedback_requests')
      .select(['id', 'manager_id', 'created_at'])
      .where('id', '=', current.id)
      .executeTakeFirstOrThrow();
    const rows = await earlierMeans(db, request, 3);
    assert.deepEqual(
      rows.map((r) => [r.prompt, Math.round(r.mean * 100) / 100]),
      [
        ['My manager listens to me.', 3],
        ['My manager listens to me.', 3.67],
      ],
    );

    const html = (await leader().get(`/reports/${current.id}`)).html;
    assert.match(
      html,
      /role="img" aria-label="Mean by round: 15 March 2026 3\.0, 15 May 2026 3\.7, 15 November 2026 4\.0 \(this round\)\."/,
    );
    const text = textOf(html);
    assert.match(text, /Over time 3\.0 Mar 2026 3\.7 May 2026 4\.0 This round/);
    assert.match(
      text,
      /Mean, 15 March 2026 3\.0 Mean, 15 May 2026 3\.7 Mean, 15 November 2026 \(this round\) 4\.0/,
      'the same values in the table for screen readers',
    );
    assert.equal(text.match(/Over time/g)!.length, 1, 'only the statement with figures in earlier rounds');
  });
});
