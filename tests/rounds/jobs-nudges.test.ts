// The job loop that runs in `npm start` and `npm run worker` also sends the follow-up nudge
// of a focus point on its date, once.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { testConfig } from '../helpers/app.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/http/logger.ts';
import { createRoundJobs } from '../../src/jobs/runner.ts';
import { createAnsweredRound, createFocusPoint, createPeople } from '../helpers/factories.ts';

describeEachDatabase('round jobs: follow-up nudges', (database) => {
  it('nudges leader and manager on the follow-up date, and only once', async () => {
    const db = database().db;
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const people = await createPeople(db);
    const round = await createAnsweredRound(db, {
      managerId: people.manager.id,
      leaderEmail: people.leader.email,
      status: 'released',
    });
    await createFocusPoint(db, round.id, {
      text: 'Hold one-on-ones weekly',
      followUpOn: '2026-12-10',
      createdBy: people.manager.id,
      createdAt: clock.now(),
    });
    const jobs = createRoundJobs({ db, clock, config: testConfig(), logger: createLogger('silent') });

    assert.equal((await jobs.runOnce()).nudges, 0, 'not before the date');
    clock.set('2026-12-10T06:00:00Z');
    assert.equal((await jobs.runOnce()).nudges, 0, "the date, but before 09:00 on the round's clock (UTC)");
    clock.set('2026-12-10T09:00:00Z');
    assert.ok((await jobs.runOnce()).nudges > 0);
    assert.equal((await jobs.runOnce()).nudges, 0, 'not twice');
    const sent = await db
      .selectFrom('email_outbox')
      .select('to_address')
      .where('name', '=', 'follow-up-nudge')
      .execute();
    assert.deepEqual(sent.map((e) => e.to_address).sort(), [people.leader.email, people.manager.email].sort());
  });
});
