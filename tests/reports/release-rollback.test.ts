// The release and its email are one transaction: when anything fails after the email was
// queued, the email goes with the release, and when the email cannot be queued, the round
// is not released. Each failure is forced by a trigger on this round alone, so the release's
// own statements run as they do in production.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createAnsweredRound } from '../helpers/factories.ts';

/** Runs `body` with a trigger that fails, then drops it whatever happened. */
async function withFailingTrigger(db: Kysely<Database>, create: string, body: () => Promise<void>): Promise<void> {
  await sql`create function fail_for_test() returns trigger language plpgsql as $$
    begin raise exception 'forced failure for the test'; end $$`.execute(db);
  await sql.raw(create).execute(db);
  try {
    await body();
  } finally {
    await sql`drop function fail_for_test() cascade`.execute(db);
  }
}

describeEachDatabase('a release that fails', (database) => {
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const { app, people, leader } = useTestApp(database, { clock, signIn: ['leader'] });
  const db = () => database().db;

  async function answeredRound() {
    const { id } = await createAnsweredRound(db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
    });
    return id;
  }

  const statusOf = async (id: string) =>
    (await db().selectFrom('feedback_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const releaseEmails = async () =>
    db().selectFrom('email_outbox').select('id').where('name', '=', 'report-released').execute();

  it('after its email was queued takes the email back with it', async () => {
    const id = await answeredRound();
    // Fires at commit, after every statement of the release (the email included) has run.
    const trigger = `create constraint trigger fail_release after update on feedback_requests
      deferrable initially deferred for each row
      when (new.id = '${id}' and new.status = 'released') execute function fail_for_test()`;
    await withFailingTrigger(db(), trigger, async () => {
      const released = await leader().submit(`/reports/${id}/release`, {});
      assert.equal(released.status, 500);
      assert.match(app().logs.text, /forced failure for the test/, 'it failed where the test made it fail');
    });
    assert.equal(await statusOf(id), 'closed');
    assert.deepEqual(await releaseEmails(), [], 'no email tells the manager of a release that did not happen');
  });

  it('because its email cannot be queued does not release the report', async () => {
    const id = await answeredRound();
    const trigger = `create trigger fail_release_email before insert on email_outbox
      for each row when (new.name = 'report-released') execute function fail_for_test()`;
    await withFailingTrigger(db(), trigger, async () => {
      const released = await leader().submit(`/reports/${id}/release`, {});
      assert.equal(released.status, 500);
      assert.match(app().logs.text, /forced failure for the test/, 'it failed where the test made it fail');
    });
    assert.equal(await statusOf(id), 'closed', 'the manager would otherwise never be told');

    // With nothing failing, the leader's next try releases it and queues the email once.
    assert.equal((await leader().submit(`/reports/${id}/release`, {})).status, 303);
    assert.equal(await statusOf(id), 'released');
    assert.equal((await releaseEmails()).length, 1);
  });
});
